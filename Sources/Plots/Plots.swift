import Compute
/// SVG charts for notebooks.
public enum PlotsInfo { public static let name = "Plots" }
