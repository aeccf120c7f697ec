/// Numerics for notebooks; see Vector.swift and Matrix.swift.
public enum ComputeInfo { public static let name = "Compute" }
