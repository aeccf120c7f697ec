import Testing
@testable import Folio
@Test func scanFindsMath() { #expect(MathScanner.scan("a $x$ b").spans.count == 1) }
