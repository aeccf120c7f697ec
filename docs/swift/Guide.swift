// The guide's shared code: every chapter's cells see these (the module `Shared`).

/// The sum of the first `n` odd numbers, 1 + 3 + … + (2n − 1).
func sumOfOdds(_ n: Int) -> Int {
    (1...n).map { 2 * $0 - 1 }.reduce(0, +)
}
