// Shared code of the fixture project: every notebook that has code imports it (but first.md).

/// `x` times itself.
func square(_ x: Double) -> Double { x * x }
