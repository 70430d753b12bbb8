"""Optional compiled sparsemax threshold, used when numba is installed.

``pip install "sklearn-softmax[fast]"``. Set the environment variable
``SKLEARN_SOFTMAX_NUMBA=0`` to use the NumPy path even then. Both paths give
the same thresholds up to the rounding of their sums (tested).
"""

import os

import numpy as np

__all__ = ["project_rows", "threshold_rows"]

threshold_rows = project_rows = None

if os.environ.get("SKLEARN_SOFTMAX_NUMBA", "1") != "0":
    try:
        import numba
    except ImportError:  # pragma: no cover - depends on the environment
        numba = None

    if numba is not None:

        @numba.njit(cache=True, nogil=True)
        def _row_threshold(row, v, v_tilde):
            """Condat's (2016) simplex threshold: one pass, then a cleanup.

            The pass keeps in ``v`` a superset of the support whose threshold
            ``rho`` is a lower bound of the true one; entries it sets aside
            (``v_tilde``) are reconsidered once; the cleanup drops entries at or
            below the running threshold until none is left, and the threshold
            is recomputed from the exact sum of what remains.
            The row is shifted (maximum 0), so the threshold is at least -1 and
            entries at or below it (``-inf`` included) are skipped at once.
            """
            n_v = 0
            rho = -1.0
            n_tilde = 0
            for j in range(row.shape[0]):
                y = row[j]
                if y > rho:
                    if n_v == 0:
                        v[0] = y
                        n_v = 1
                        rho = y - 1.0
                        continue
                    rho += (y - rho) / (n_v + 1)
                    if rho > y - 1.0:
                        v[n_v] = y
                        n_v += 1
                    else:
                        for k in range(n_v):
                            v_tilde[n_tilde + k] = v[k]
                        n_tilde += n_v
                        v[0] = y
                        n_v = 1
                        rho = y - 1.0
            for k in range(n_tilde):
                y = v_tilde[k]
                if y > rho:
                    v[n_v] = y
                    n_v += 1
                    rho += (y - rho) / n_v
            # Condat's cleanup: drop entries at or below the running threshold,
            # updating it as they go (the threshold only rises), until stable.
            while True:
                kept = 0
                for k in range(n_v):
                    y = v[k]
                    if y > rho:
                        v[kept] = y
                        kept += 1
                    else:
                        size = n_v - (k - kept)  # current size, y still counted
                        rho += (rho - y) / (size - 1)
                if kept == n_v:
                    break
                n_v = kept
            # Exact threshold of the final set, from its sum (no running error).
            total = 0.0
            for k in range(n_v):
                total += v[k]
            return (total - 1.0) / n_v

        @numba.njit(parallel=True, cache=True)
        def _threshold_rows(S, n_chunks):
            n_rows, n_classes = S.shape
            tau = np.empty(n_rows)
            for chunk in numba.prange(n_chunks):
                v = np.empty(n_classes)
                v_tilde = np.empty(n_classes)
                for i in range(
                    chunk * n_rows // n_chunks, (chunk + 1) * n_rows // n_chunks
                ):
                    tau[i] = _row_threshold(S[i], v, v_tilde)
            return tau

        @numba.njit(parallel=True, cache=True)
        def _project_rows(S, n_chunks):
            n_rows, n_classes = S.shape
            for chunk in numba.prange(n_chunks):
                v = np.empty(n_classes)
                v_tilde = np.empty(n_classes)
                for i in range(
                    chunk * n_rows // n_chunks, (chunk + 1) * n_rows // n_chunks
                ):
                    row = S[i]
                    tau = _row_threshold(row, v, v_tilde)
                    for j in range(n_classes):
                        row[j] = max(row[j] - tau, 0.0)

        def project_rows(S):
            """Overwrite each row of shifted logits ``S`` with its sparsemax.

            ``S`` is 2-D, C-contiguous, with row maxima 0. One pass of the
            threshold and the output per row, while the row is in cache.
            """
            if S.shape[0]:
                _project_rows(S, min(S.shape[0], 8 * numba.get_num_threads()))

        def threshold_rows(S):
            """Sparsemax threshold (float64) of each row of shifted logits.

            ``S`` is 2-D with row maxima 0 (``-inf`` allowed).
            """
            if S.shape[0] == 0:
                return np.zeros(0)
            n_chunks = min(S.shape[0], 8 * numba.get_num_threads())
            return _threshold_rows(np.ascontiguousarray(S), n_chunks)
