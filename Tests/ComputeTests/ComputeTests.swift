import Testing
@testable import Compute
@Test func placeholder() { #expect(ComputeInfo.name == "Compute") }
