import Testing
@testable import Compute

/// Decompositions against numpy (tolerance 1e-12 absolute on O(1)–O(10) entries) and identities.
@Suite struct LinearAlgebraTests {
    let ref = Reference.shared
    var A: Matrix { Matrix(ref.A) }
    var B: Matrix { Matrix(ref.B) }

    @Test func matrixProductMatchesDefinition() {
        let C = B.transposed * B
        for i in 0..<3 { for j in 0..<3 {
            let direct = (0..<5).reduce(0.0) { $0 + B[$1, i] * B[$1, j] }
            #expect(abs(C[i, j] - direct) < 1e-12)
        } }
        #expect(maxDiff(B.multiplied(by: B, transposeSelf: true), C) < 1e-12)
    }

    @Test func svdReconstructsAndMatchesNumpy() throws {
        let d = try B.svd()
        #expect(maxDiff(d.S.elements, ref.svB) < 1e-12)
        let recon = d.U * Matrix.diagonal(d.S) * d.Vt
        #expect(maxDiff(recon, B) < 1e-12)
        #expect(maxDiff(d.U.transposed * d.U, Matrix.identity(3)) < 1e-13)
        let full = try B.svd(full: true)
        #expect(full.U.rows == 5 && full.U.cols == 5)
        #expect(maxDiff(full.U.transposed * full.U, Matrix.identity(5)) < 1e-13)
        #expect(maxDiff(try B.singularValues(), ref.svB) < 1e-12)
    }

    @Test func symmetricEigenMatchesNumpy() throws {
        let (w, V) = try A.symmetricEigen()
        #expect(maxDiff(w.elements, ref.eigA) < 1e-12)
        #expect(maxDiff(A * V, V * Matrix.diagonal(w)) < 1e-12)
        #expect(maxDiff(V.transposed * V, Matrix.identity(4)) < 1e-13)
    }

    @Test func generalEigenvaluesMatchNumpy() throws {
        let (re, im) = try Matrix(ref.G).eigenvalues()
        let pairs = zip(re.elements, im.elements).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        #expect(maxDiff(pairs.map(\.0), ref.eigG_real) < 1e-12)
        #expect(maxDiff(pairs.map(\.1), ref.eigG_imag) < 1e-12)
    }

    @Test func qrIsOrthogonalTimesTriangular() throws {
        let (Q, R) = try B.qr()
        #expect(maxDiff(Q * R, B) < 1e-12)
        #expect(maxDiff(Q.transposed * Q, Matrix.identity(3)) < 1e-13)
        for i in 0..<3 { for j in 0..<i { #expect(R[i, j] == 0) } }
    }

    @Test func choleskySolveInverseDeterminant() throws {
        #expect(maxDiff(try A.cholesky(), ref.cholA) < 1e-12)
        #expect(maxDiff(try A.solve(Vector(ref.b)).elements, ref.solveAb) < 1e-12)
        #expect(maxDiff(try A.inverse(), ref.invA) < 1e-12)
        #expect(abs(try A.determinant() - ref.detA) < 1e-9 * abs(ref.detA))
    }

    @Test func leastSquaresAndPseudoInverse() throws {
        #expect(maxDiff(try B.leastSquares(Vector(ref.y5)).elements, ref.lstsqB) < 1e-12)
        #expect(maxDiff(try B.pseudoInverse(), ref.pinvB) < 1e-12)
    }

    @Test func rankAndNullSpace() throws {
        // Rank 2: the third column is the sum of the first two.
        let M = Matrix([[1, 2, 3], [4, 5, 9], [7, 8, 15], [2, -1, 1]])
        #expect(try M.rank() == 2)
        let N = try M.nullSpace()
        #expect(N.cols == 1)
        #expect((M * N.column(0)).norm < 1e-12)
        #expect(try Matrix.identity(4).rank() == 4)
    }

    @Test func errorsAreDescriptive() {
        #expect(throws: LinearAlgebraError.singular(operation: "inverse")) { try Matrix([[1, 2], [2, 4]]).inverse() }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 2)) { try Matrix([[1, 2], [2, 1]]).cholesky() }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "solve", "2×2", "3")) {
            try Matrix.identity(2).solve(Vector([1, 2, 3]))
        }
        #expect(LinearAlgebraError.invalidInput("x").description == "x")
        do {
            _ = try Matrix(rows: 2, cols: 3).inverse()
            Issue.record("expected a throw")
        } catch {
            #expect("\(error)".contains("square"))
        }
    }

    @Test func vectorBasics() {
        let v: Vector = [3, 4]
        #expect(v.norm == 5)
        #expect(v.dot([1, 1]) == 7)
        #expect(v.normalized.norm == 1)
        #expect((v * v).elements == [9, 16])
        #expect(v.outer([1, 2]) == Matrix([[3, 6], [4, 8]]))
        #expect(Matrix([[1, 2], [3, 4]]).transposed == Matrix([[1, 3], [2, 4]]))
        #expect(Matrix([[1, 2], [3, 4]]) * Vector([1, 1]) == Vector([3, 7]))
    }

    @Test func reductionsAlongAxes() {
        let m = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.sum(along: .rows) == Vector([5, 7, 9]))
        #expect(m.sum(along: .columns) == Vector([6, 15]))
        #expect(m.mean(along: .columns) == Vector([2, 5]))
        #expect(m.argmax(along: .columns) == [2, 2])
        #expect(Vector([1, 5, 2]).argmax == 1)
        #expect(Vector((1...100).map(Double.init)).sum == 5050)
    }
}

@Suite struct SolveManyRightHandSides {
    @Test func matrixRightHandSide() throws {
        let A = Matrix(Reference.shared.A)
        let B = Matrix([[1, 2], [0, -1], [3, 0.5], [2, 2]])
        let X = try A.solve(B)
        #expect(maxDiff(A * X, B) < 1e-12)
    }
}
