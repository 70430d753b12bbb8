"""The compiled sparsemax threshold (numba, a dependency of the package).

Set the environment variable ``SKLEARN_SOFTMAX_NUMBA=0`` to use the NumPy
path instead (also the fallback where numba cannot be imported). Both paths
give the same thresholds up to the rounding of their sums (tested).

Compiled kernels are cached on disk (``cache=True``): the first call after an
install compiles them (about 1 s per dtype), later processes load them (about
0.3 s, once per process). This module, and numba with it, is imported on the
first sparsemax call, not with the package. Large inputs run in threads; a
fit always uses the serial kernel, as its products already use every core.
"""

import os

import numpy as np

__all__ = ["project_rows", "threshold_rows"]

threshold_rows = project_rows = None

# Below this many logits the compiled kernels run on one thread (measured:
# benchmarks/bench_transforms.py and bench_fit.py, with and without numba).
_PARALLEL_MIN_ENTRIES = 1_000_000

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

        def _threshold_chunks(S, n_chunks):
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

        def _project_chunks(S, n_chunks):
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

        # The same loops compiled twice: threads over row chunks, and serial
        # (prange is range there). Threads pay only on large inputs: below
        # _PARALLEL_MIN_ENTRIES, waking them (and, during a fit, competing with
        # the BLAS threads that spin between products) costs more than the work.
        _threshold_parallel = numba.njit(parallel=True, cache=True)(_threshold_chunks)
        _threshold_serial = numba.njit(cache=True, nogil=True)(_threshold_chunks)
        _project_parallel = numba.njit(parallel=True, cache=True)(_project_chunks)
        _project_serial = numba.njit(cache=True, nogil=True)(_project_chunks)

        def _chunks(S, parallel):
            """Number of row chunks, and whether to run them in threads.

            The size is checked first: asking numba for its thread count starts
            its OpenMP pool, whose idle threads spin against the BLAS threads.
            """
            if not parallel or S.size < _PARALLEL_MIN_ENTRIES:
                return 1, False
            n_threads = numba.get_num_threads()
            return min(S.shape[0], 8 * n_threads), n_threads > 1

        def project_rows(S, parallel=True):
            """Overwrite each row of shifted logits ``S`` with its sparsemax.

            ``S`` is 2-D, C-contiguous, with row maxima 0. One pass of the
            threshold and the output per row, while the row is in cache.
            """
            if S.shape[0]:
                n_chunks, parallel = _chunks(S, parallel)
                (_project_parallel if parallel else _project_serial)(S, n_chunks)

        def threshold_rows(S, parallel=True):
            """Sparsemax threshold (float64) of each row of shifted logits.

            ``S`` is 2-D with row maxima 0 (``-inf`` allowed). ``parallel=False``
            (inside a fit, whose products already use every core): one thread.
            """
            if S.shape[0] == 0:
                return np.zeros(0)
            n_chunks, parallel = _chunks(S, parallel)
            kernel = _threshold_parallel if parallel else _threshold_serial
            return kernel(np.ascontiguousarray(S), n_chunks)
