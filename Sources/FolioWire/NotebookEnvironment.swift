import Foundation

/// The environment variables between Folio and a notebook program it runs: Folio sets them
/// (`SwiftExecutor`, preview's kernel), the program's runtime and libraries read them. The one
/// definition of that contract, so the two sides cannot drift apart.
public enum NotebookEnvironment: String, CaseIterable, Sendable {
    /// The run's secret, which every record on stdout carries (`Channel`).
    case nonce = "FOLIO_NONCE"
    /// The seed of `Random.fromEnvironment()`, from the notebook's path, so rebuilds repeat.
    case seed = "FOLIO_SEED"
    /// The notebook's path as messages name it.
    case notebook = "FOLIO_NOTEBOOK"
    /// A JSON file of values imported from other notebooks, by notebook and name.
    case imports = "FOLIO_IMPORTS"
    /// Preview's kernel: the folder of its snapshots' FIFOs and libraries.
    case kernelDirectory = "FOLIO_KERNEL_DIR"
    /// Preview's kernel: the cells after which the run leaves a snapshot, comma-separated.
    case kernelSnapshots = "FOLIO_KERNEL_SNAPSHOTS"
    /// Preview's kernel: the Folio process whose end ends the snapshots.
    case kernelOwner = "FOLIO_KERNEL_OWNER"

    /// Its value in this process (the notebook's side).
    public var value: String? { ProcessInfo.processInfo.environment[rawValue] }
}
