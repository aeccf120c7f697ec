// Shared code of this project's notebooks: one module every notebook with cells imports.
import Compute

/// How far `approximation` is from `reference`, relative to the reference's size:
/// ‖approximation − reference‖_F / ‖reference‖_F. The notebooks compare Hessians with
/// Gauss–Newton matrices, reconstructions with inputs and identities with their two sides by it.
func relativeError(_ approximation: Matrix, from reference: Matrix) -> Double {
    (approximation - reference).frobeniusNorm / reference.frobeniusNorm
}
