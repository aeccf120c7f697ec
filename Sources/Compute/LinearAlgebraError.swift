/// Why a linear-algebra operation could not be done. Messages name the shapes or the LAPACK
/// routine and its `info` so a notebook's reader learns what went wrong, not just that it did.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Two operands' shapes do not fit (`operation`, then each shape as `rows×cols`).
    case dimensionMismatch(operation: String, String, String)
    /// The matrix is singular (or numerically so) where an inverse or a solve needs it not to be.
    case singular(operation: String)
    /// Cholesky: the matrix is not symmetric positive definite (LAPACK's leading minor order).
    case notPositiveDefinite(minor: Int)
    /// An iterative routine (SVD, eigenvalues) did not converge.
    case noConvergence(operation: String)
    /// The input is malformed: empty, not square, NaN/∞ values.
    case invalidInput(String)

    /// The message, naming the operation and the offending dimensions or values.
    public var description: String {
        switch self {
        case .dimensionMismatch(let op, let a, let b): return "\(op): dimensions do not match (\(a) and \(b))"
        case .singular(let op): return "\(op): the matrix is singular"
        case .notPositiveDefinite(let k): return "cholesky: the matrix is not positive definite (leading minor of order \(k) is not positive)"
        case .noConvergence(let op): return "\(op): the algorithm did not converge"
        case .invalidInput(let why): return why
        }
    }
}
