import Testing
@testable import Plots

/// Reference outputs of the extended Wilkinson algorithm (Talbot, Lin & Hanrahan 2010, and the
/// R `labeling::extended` implementation of it).
@Suite struct TicksTests {
    @Test func extendedWilkinsonReferenceCases() {
        #expect(Ticks.linear(8.1, 14.1, count: 4) == [8, 10, 12, 14])
        #expect(Ticks.linear(0, 100, count: 5) == [0, 25, 50, 75, 100])
        #expect(Ticks.linear(-0.0031, 0.987, count: 5) == [0, 0.25, 0.5, 0.75, 1])
        #expect(Ticks.linear(0, 1, count: 5) == [0, 0.25, 0.5, 0.75, 1])
    }

    @Test func labelsHaveNoFloatNoise() {
        let t = Ticks.linear(0, 0.9, count: 10)
        #expect(t.contains(0.3))
        let labels = Ticks.labels(t)
        #expect(labels.contains("0.3"))
        #expect(labels.allSatisfy { !$0.contains("0000") })
        #expect(Ticks.labels([-1, 0, 1]) == ["−1", "0", "1"])
    }

    @Test func logTicksAreDecades() {
        let t = Ticks.log(0.001, 100, base: 10)
        #expect(t.major == [0.001, 0.01, 0.1, 1, 10, 100])
        #expect(t.minor.contains(0.002) && t.minor.contains(90))
        #expect(Ticks.power(base: 10, -3) == "10⁻³")
        #expect(Ticks.log(1, 64, base: 2).major == [1, 2, 4, 8, 16, 32, 64])
    }

    @Test func degenerateRanges() {
        #expect(!Ticks.linear(5, 5).isEmpty)
        #expect(Ticks.linear(.nan, 1).isEmpty)
    }
}
