"""Reference values for ComputeTests, computed with numpy/scipy (independent implementations).

Run from this folder: python3 make_reference.py > reference.json. The output is committed, so
tests do not need Python; rerun only when adding cases.
"""
import json
import numpy as np
import scipy.linalg

A = np.array([[4.0, -2.0, 1.0, 3.0], [-2.0, 5.0, 0.5, -1.0], [1.0, 0.5, 6.0, 2.0], [3.0, -1.0, 2.0, 7.0]])
B = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.5], [7.0, 8.5, 9.0], [1.5, -2.0, 0.25], [3.0, 1.0, -1.0]])
G = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, -3.0, 3.5]])
b = np.array([1.0, -1.0, 2.0, 0.5])
y5 = np.array([1.0, 2.0, -1.0, 0.5, 3.0])
ev = np.linalg.eigvals(G)
order = np.lexsort((ev.imag, ev.real))
ref = {
    "A": A.tolist(), "B": B.tolist(), "G": G.tolist(), "b": b.tolist(), "y5": y5.tolist(),
    "svB": np.linalg.svd(B, compute_uv=False).tolist(),
    "eigA": np.linalg.eigvalsh(A).tolist(),
    "eigG_real": ev.real[order].tolist(), "eigG_imag": ev.imag[order].tolist(),
    "solveAb": np.linalg.solve(A, b).tolist(),
    "detA": float(np.linalg.det(A)),
    "invA": np.linalg.inv(A).tolist(),
    "lstsqB": np.linalg.lstsq(B, y5, rcond=None)[0].tolist(),
    "pinvB": np.linalg.pinv(B).tolist(),
    "cholA": np.linalg.cholesky(A).tolist(),
    "expm1": float(scipy.linalg.expm(np.array([[0.0, 1.0], [-1.0, 0.0]]))[0, 0]),
}
print(json.dumps(ref, indent=1))
