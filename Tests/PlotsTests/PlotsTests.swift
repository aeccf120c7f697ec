import Testing
@testable import Plots
@Test func placeholder() { #expect(PlotsInfo.name == "Plots") }
