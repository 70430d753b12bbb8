"""The compiled kernels (numba, a dependency of the package).

The threshold and projection of rows of logits, and the objective of a
linear model (sparsemax or softmax loss) on dense float64 ``X`` in one pass
over its rows (logits, loss, ``P - Q`` and ``X.T @ G`` while each block of 4
rows is in cache, without NumPy's per-call overhead): the fits' evaluation on
small and medium dense data, where NumPy's BLAS products are far from peak
with few classes (see ``LinearObjective._compiled_kernel`` for where it
pays).

Set the environment variable ``SKLEARN_SOFTMAX_NUMBA=0`` to use the NumPy
path instead (also the fallback where numba cannot be imported). Both paths
give the same thresholds and objectives up to the rounding of their sums
(tested).

Compiled kernels are cached on disk (``cache=True``): the first call after an
install compiles them (about 1 s per dtype), later processes load them (about
0.3 s, once per process). This module, and numba with it, is imported on the
first sparsemax call, not with the package; softmax fits use the objective
only once a sparsemax fit has loaded it (:func:`dense_objective_loaded`).
Large inputs run in threads; a fit always uses the serial kernels, which
leave no thread pool spinning."""

import os

import numpy as np

__all__ = [
    "dense_objective",
    "entmax_rows",
    "dense_objective_loaded",
    "project_rows",
    "threshold_rows",
]

threshold_rows = project_rows = dense_objective = entmax_rows = None


def dense_objective_loaded(X):
    """False: the compiled objective is not available (numba is not
    importable, or ``SKLEARN_SOFTMAX_NUMBA=0``)."""
    return False


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

        @numba.njit(cache=True, nogil=True)
        def _q_exp(u, a, r):
            """``[1 + a u]_+^(1 / a)`` and the base ``1 + a u``. ``r``: ``1 / a``
            when it is a whole number (alpha = 1.5, 4/3, 1.25, ...), then the
            power is multiplications (at 10 classes the exponential and
            logarithm took 6.7x softmax's time at alpha = 1.25); else 0."""
            b = 1.0 + a * u
            if b <= 0.0:
                return 0.0, 0.0
            if r == 2:
                return b * b, b
            if r > 0:
                return b**r, b
            return np.exp(np.log1p(a * u) / a), b

        def _whole_inverse(a):
            """``1 / a`` when it is a whole number up to 16, else 0."""
            r = round(1.0 / a)
            return int(r) if 1 <= r <= 16 and abs(r * a - 1.0) < 1e-15 else 0

        @numba.njit(cache=True, nogil=True)
        def _entmax_step(theta, total, slope, a, lo, hi):
            """The next ``theta`` (see ``_entmax._step``)."""
            if a == 0.5:  # alpha = 1.5: total^(1 - a) is a square root
                new = theta + (total - np.sqrt(total)) / (a * slope)
            elif a <= 1.0:
                new = theta + (total - np.exp((1.0 - a) * np.log(total))) / (
                    a * slope
                )
            else:
                new = theta + np.log(total) * total / slope
                if not (lo < new < hi):
                    new = theta + (total - 1.0) / slope
            if not (lo < new < hi):
                new = 0.5 * (lo + hi)
            return new

        @numba.njit(cache=True, nogil=True)
        def _entmax_row_theta(z, a, r, v, hi):
            """``theta`` of one shifted row ``z`` (maximum 0) for ``alpha = 1 + a``:
            Newton's method on ``log sum p(theta)``, safeguarded by bisection
            in ``[0, (1 - K^-a) / a]``, to a few ulp (as ``_entmax``). Only
            the entries that can be in the support (``1 + a z > 0``, as
            ``theta >= 0``) are visited, gathered into ``v``. ``hi``: the
            bracket's upper end, ``(1 - K^-a) / a``, computed once per call.

            The iteration stops when a step is below a few ulp. Stopping
            after a step below 1e-9 (quadratic convergence, in theory an
            error of 1e-18) saved one step of five at K = 10, but left
            relative errors of 3e-9 at alpha = 1.1 (the mpmath test) and
            losses too rough for the finite-difference gradient checks at
            1.5: across support changes convergence is not quadratic."""
            n = 0
            for j in range(z.shape[0]):
                if 1.0 + a * z[j] > 0.0:
                    v[n] = z[j]
                    n += 1
            lo = 0.0
            theta = 0.0
            eps4 = 4.0 * np.finfo(np.float64).eps
            small = eps4
            for _ in range(200):
                total = 0.0
                slope = 0.0
                if r == 2:  # alpha = 1.5: p = b^2, p^(2 - alpha) = b
                    for k in range(n):
                        b = 1.0 + 0.5 * (v[k] - theta)
                        if b > 0.0:
                            total += b * b
                            slope += b
                else:
                    for k in range(n):
                        p, b = _q_exp(v[k] - theta, a, r)
                        total += p
                        if p > 0.0:  # p^(2 - alpha) = p / b
                            slope += p / b
                if total == 1.0:
                    break
                if total > 1.0:
                    lo = theta
                else:
                    hi = theta
                new = _entmax_step(theta, total, slope, a, lo, hi)
                if abs(new - theta) <= small * max(abs(theta), 1.0) or (
                    hi - lo <= eps4 * max(hi, 1.0)
                ):
                    theta = new
                    break
                theta = new
            return theta

        @numba.njit(cache=True, nogil=True)
        def _entmax_project_row(row, a, r, v, hi):
            """Overwrite the shifted row with its entmax; return ``theta``."""
            theta = _entmax_row_theta(row, a, r, v, hi)
            total = 0.0
            for j in range(row.shape[0]):
                p, _ = _q_exp(row[j] - theta, a, r)
                row[j] = p
                total += p
            scale = 1.0 / total
            for j in range(row.shape[0]):
                row[j] *= scale
            return theta

        @numba.njit(cache=True, nogil=True)
        def _entmax_rows_serial(S, a, r):
            theta = np.empty(S.shape[0])
            v = np.empty(S.shape[1])
            hi = -np.expm1(-a * np.log(S.shape[1])) / a
            for i in range(S.shape[0]):
                theta[i] = _entmax_project_row(S[i], a, r, v, hi)
            return theta

        def entmax_rows(S, alpha):
            """Overwrite each row of shifted float64 logits ``S`` (C-ordered,
            maxima 0) with its alpha-entmax (``1 < alpha``); return the
            ``theta`` of each row (see ``_entmax``). One thread."""
            if S.shape[0] == 0:
                return np.zeros(0)
            a = float(alpha) - 1.0
            return _entmax_rows_serial(S, a, _whole_inverse(a))

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

        # -- The objective on dense X, fused ------------------------------------
        # Only reassociation and contraction (FMA): no "nnan"/"ninf", so that an
        # overflowing logit is still seen.
        _FASTMATH = {"reassoc", "contract"}

        @numba.njit(cache=True, nogil=True, fastmath=_FASTMATH)
        def _block_logits(X, Wt, c, i0, r, Z, off):
            """``Z[t, off + k] = X[i0 + t] @ Wt[k] + c[k]`` for ``t < r <= 4``.

            Four rows by two outputs at a time (by one for the last of an odd
            number): each load of ``X`` or ``Wt`` serves several multiply-adds
            (1211x294 by 6 outputs: 130 us, against 180 us for NumPy's
            two-threaded BLAS on this 2-core machine).
            """
            n_features = X.shape[1]
            n_out = Wt.shape[0]
            k = 0
            if r == 4:
                while k + 2 <= n_out:
                    a0 = a1 = a2 = a3 = 0.0
                    b0 = b1 = b2 = b3 = 0.0
                    for j in range(n_features):
                        w = Wt[k, j]
                        u = Wt[k + 1, j]
                        x0 = X[i0, j]
                        x1 = X[i0 + 1, j]
                        x2 = X[i0 + 2, j]
                        x3 = X[i0 + 3, j]
                        a0 += x0 * w
                        a1 += x1 * w
                        a2 += x2 * w
                        a3 += x3 * w
                        b0 += x0 * u
                        b1 += x1 * u
                        b2 += x2 * u
                        b3 += x3 * u
                    Z[0, off + k] = a0 + c[k]
                    Z[1, off + k] = a1 + c[k]
                    Z[2, off + k] = a2 + c[k]
                    Z[3, off + k] = a3 + c[k]
                    Z[0, off + k + 1] = b0 + c[k + 1]
                    Z[1, off + k + 1] = b1 + c[k + 1]
                    Z[2, off + k + 1] = b2 + c[k + 1]
                    Z[3, off + k + 1] = b3 + c[k + 1]
                    k += 2
                if k < n_out:  # the last of an odd number of outputs
                    a0 = a1 = a2 = a3 = 0.0
                    for j in range(n_features):
                        w = Wt[k, j]
                        a0 += X[i0, j] * w
                        a1 += X[i0 + 1, j] * w
                        a2 += X[i0 + 2, j] * w
                        a3 += X[i0 + 3, j] * w
                    Z[0, off + k] = a0 + c[k]
                    Z[1, off + k] = a1 + c[k]
                    Z[2, off + k] = a2 + c[k]
                    Z[3, off + k] = a3 + c[k]
                    k += 1
            for t in range(r):
                for kk in range(k, n_out):
                    a = 0.0
                    for j in range(n_features):
                        a += X[i0 + t, j] * Wt[kk, j]
                    Z[t, off + kk] = a + c[kk]

        @numba.njit(cache=True, nogil=True, fastmath=_FASTMATH)
        def _block_gradient(X, G, rows, r, off, gWt):
            """``gWt[k] += sum_t G[t, off + k] X[rows[t]]`` for ``t < r <= 4``;
            pairs of outputs whose 8 entries of ``G`` are all 0 are skipped."""
            n_features = X.shape[1]
            n_out = gWt.shape[0]
            k = 0
            if r == 4:
                i0, i1, i2, i3 = rows[0], rows[1], rows[2], rows[3]
                while k + 2 <= n_out:
                    g0 = G[0, off + k]
                    g1 = G[1, off + k]
                    g2 = G[2, off + k]
                    g3 = G[3, off + k]
                    h0 = G[0, off + k + 1]
                    h1 = G[1, off + k + 1]
                    h2 = G[2, off + k + 1]
                    h3 = G[3, off + k + 1]
                    k += 2
                    if (g0 == 0.0 and g1 == 0.0 and g2 == 0.0 and g3 == 0.0) and (
                        h0 == 0.0 and h1 == 0.0 and h2 == 0.0 and h3 == 0.0
                    ):
                        continue
                    for j in range(n_features):
                        x0 = X[i0, j]
                        x1 = X[i1, j]
                        x2 = X[i2, j]
                        x3 = X[i3, j]
                        gWt[k - 2, j] += (g0 * x0 + g1 * x1) + (g2 * x2 + g3 * x3)
                        gWt[k - 1, j] += (h0 * x0 + h1 * x1) + (h2 * x2 + h3 * x3)
            for t in range(r):
                for kk in range(k, n_out):
                    g = G[t, off + kk]
                    if g != 0.0:
                        i = rows[t]
                        for j in range(n_features):
                            gWt[kk, j] += g * X[i, j]

        @numba.njit(cache=True, nogil=True)
        def _shift_row(G, t, z):
            """``z = G[t] - max(G[t])``; False where a logit is not finite."""
            z_max = -np.inf
            for k in range(z.shape[0]):
                if not np.isfinite(G[t, k]):
                    return False
                z_max = max(z_max, G[t, k])
            for k in range(z.shape[0]):
                z[k] = G[t, k] - z_max
            return True

        @numba.njit(cache=True, nogil=True)
        def _sparsemax_row(G, t, Q, y, i, s, z, v, v_tilde):
            """Overwrite the logits ``G[t]`` of row ``i`` with ``s (p - q)``;
            return the loss (as ``SparsemaxLoss``), or NaN where a logit is not
            finite. ``z``, ``v``, ``v_tilde``: work space of one row."""
            n_classes = z.shape[0]
            if not _shift_row(G, t, z):
                return np.nan
            tau = _row_threshold(z, v, v_tilde)
            # L = tau + sum_k (p_k^2 / 2 - q_k z_k + q_k^2 / 2), shifted z.
            loss = tau
            if y.shape[0]:
                loss += 0.5 - z[y[i]]
                for k in range(n_classes):
                    p = max(z[k] - tau, 0.0)
                    loss += 0.5 * p * p
                    G[t, k] = p * s
                G[t, y[i]] -= s
            else:
                for k in range(n_classes):
                    p = max(z[k] - tau, 0.0)
                    q = Q[i, k]
                    loss += 0.5 * (p * p + q * q) - q * z[k]
                    G[t, k] = (p - q) * s
            return loss

        @numba.njit(cache=True, nogil=True)
        def _entmax_row(G, t, Q, y, i, s, z, v, a, r):
            """Overwrite the logits ``G[t]`` of row ``i`` with ``s (p - q)``;
            return the entmax loss (as ``EntmaxLoss``) or NaN where a logit is
            not finite. ``L = (1 - 1/alpha) p.z + theta/alpha - q.z - H(q)``
            on shifted ``z``: ``H_alpha(p) = (theta - p.z) / alpha`` in this
            parametrization (``p^alpha = p (1 + a (z - theta))``)."""
            n_classes = z.shape[0]
            alpha = 1.0 + a
            if not _shift_row(G, t, z):
                return np.nan
            hi = -np.expm1(-a * np.log(n_classes)) / a
            theta = _entmax_row_theta(z, a, r, v, hi)
            total = 0.0
            for k in range(n_classes):
                p, _ = _q_exp(z[k] - theta, a, r)
                G[t, k] = p
                total += p
            pz = 0.0
            for k in range(n_classes):
                G[t, k] /= total
                pz += G[t, k] * z[k]
            loss = (1.0 - 1.0 / alpha) * pz + theta / alpha
            if y.shape[0]:
                loss -= z[y[i]]
                for k in range(n_classes):
                    G[t, k] *= s
                G[t, y[i]] -= s
            else:
                h = 0.0
                for k in range(n_classes):
                    q = Q[i, k]
                    loss -= q * z[k]
                    if q > 0.0:
                        h += q * np.expm1(a * np.log(q))
                    G[t, k] = (G[t, k] - q) * s
                loss += h / (alpha * a)  # - H_alpha(q)
            return loss

        @numba.njit(cache=True, nogil=True)
        def _softmax_row(G, t, Q, y, i, s, e):
            """Overwrite the logits ``G[t]`` of row ``i`` with ``s (p - q)``;
            return the loss (as ``SoftmaxLoss``); NaN where a logit is not
            finite (through the exponentials). ``e``: work space of one row."""
            n_classes = e.shape[0]
            z_max = -np.inf
            for k in range(n_classes):
                z_max = max(z_max, G[t, k])
            # L = log sum_k exp(z_k) - q . z, shifted z; the log as
            # log(m) + log1p(rest / m) (m maxima, rest the other terms), which
            # keeps the digits of a loss near 0 (as SoftmaxLoss).
            n_max = 0.0
            rest = 0.0
            qz = 0.0
            if y.shape[0]:
                qz = G[t, y[i]] - z_max
            for k in range(n_classes):
                z = G[t, k] - z_max
                if not y.shape[0]:
                    qz += Q[i, k] * z
                e[k] = np.exp(z)
                if z == 0.0:
                    n_max += 1.0
                else:
                    rest += e[k]
            if n_max == 0.0:  # NaN or infinite logits: no term is exactly 1
                return np.nan
            norm = n_max + rest
            scale = 1.0 / norm
            if y.shape[0]:
                for k in range(n_classes):
                    G[t, k] = (e[k] * scale) * s
                G[t, y[i]] = (e[y[i]] * scale - 1.0) * s
            else:
                for k in range(n_classes):
                    G[t, k] = (e[k] * scale - Q[i, k]) * s
            return np.log(n_max) + np.log1p(rest / n_max) - qz

        @numba.njit(cache=True, nogil=True)
        def _linear_objective(X, Wt, c, Q, y, sw, gWt, gc, kind, alpha_m1, power):
            """One kernel for every loss (``kind``: 0 softmax, 1 sparsemax, 2
            entmax of ``alpha = 1 + alpha_m1``, ``power`` its whole
            ``1 / alpha_m1`` or 0): one load serves them all. Rows whose
            ``G`` row is 0 (sparsemax predicts the target exactly, or a zero
            weight: about half of MULAN scene's rows near the solution at C=1;
            softmax only at a zero weight) are left out of ``X.T @ G``: full
            blocks of 4 rows go as they are, the rest are gathered 4 at a
            time."""
            n_samples = X.shape[0]
            n_out = Wt.shape[0]
            off = 1 if n_out == 1 else 0  # binary: logits (0, s)
            n_classes = n_out + off
            G = np.zeros((4, n_classes))
            block_rows = np.zeros(4, dtype=np.intp)  # rows of X of a full block
            nonzero = np.zeros(4, dtype=np.intp)  # rows of G that are not 0
            gathered = np.zeros((4, n_classes))
            gathered_rows = np.zeros(4, dtype=np.intp)
            n_gathered = 0
            z = np.empty(n_classes)
            v = np.empty(n_classes)
            v_tilde = np.empty(n_classes)
            gWt[:, :] = 0.0
            gc[:] = 0.0
            total = 0.0
            for i0 in range(0, n_samples, 4):
                r = min(4, n_samples - i0)
                _block_logits(X, Wt, c, i0, r, G, off)
                n_nonzero = 0
                for t in range(r):
                    if off:
                        G[t, 0] = 0.0
                    i = i0 + t
                    if kind == 0:
                        row_loss = _softmax_row(G, t, Q, y, i, sw[i], z)
                    elif kind == 1:
                        row_loss = _sparsemax_row(G, t, Q, y, i, sw[i], z, v, v_tilde)
                    else:
                        row_loss = _entmax_row(
                            G, t, Q, y, i, sw[i], z, v, alpha_m1, power
                        )
                    total += sw[i] * row_loss
                    is_zero = True
                    for k in range(n_out):
                        gc[k] += G[t, off + k]
                        is_zero &= G[t, off + k] == 0.0
                    if not is_zero:
                        nonzero[n_nonzero] = t
                        n_nonzero += 1
                if n_nonzero == 4:
                    for t in range(4):
                        block_rows[t] = i0 + t
                    _block_gradient(X, G, block_rows, 4, off, gWt)
                    continue
                for a in range(n_nonzero):
                    t = nonzero[a]
                    for k in range(n_classes):
                        gathered[n_gathered, k] = G[t, k]
                    gathered_rows[n_gathered] = i0 + t
                    n_gathered += 1
                    if n_gathered == 4:
                        _block_gradient(X, gathered, gathered_rows, 4, off, gWt)
                        n_gathered = 0
            _block_gradient(X, gathered, gathered_rows, n_gathered, off, gWt)
            return total

        _KINDS = {"softmax": 0, "sparsemax": 1, "entmax": 2}

        def dense_objective(X, W, c, Q, sample_weight, loss):
            """Weighted loss sum, ``X.T @ G`` and ``G.sum(0)`` of the
            linear model ``X W + c`` on dense, C-contiguous ``X``, in one pass
            over its rows (``G = sw (P - Q)``, as
            ``LinearObjective._block_loss_gradient``); one thread.

            ``loss``: an ``EntmaxLoss`` whose ``kernel`` names it here.
            ``W`` of shape ``(n_features, n_outputs)``, ``n_outputs == 1`` for
            the binary logits ``(0, s)``; ``Q`` distributions or class indices.
            Returns NaN as the loss where a logit is not finite.
            """
            Wt = np.ascontiguousarray(W.T, dtype=np.float64)
            c = np.ascontiguousarray(c, dtype=np.float64)
            if Q.ndim == 1:
                y = np.asarray(Q, dtype=np.intp)
                Q = np.zeros((0, 0), dtype=X.dtype)
            else:
                y = np.zeros(0, dtype=np.intp)
                Q = np.ascontiguousarray(Q, dtype=X.dtype)
            gWt = np.empty_like(Wt)
            gc = np.empty(Wt.shape[0])
            sw = np.ascontiguousarray(sample_weight, dtype=np.float64)
            a = loss.alpha - 1.0
            r = _whole_inverse(a) if loss.kernel == "entmax" else 0
            total = _linear_objective(
                X, Wt, c, Q, y, sw, gWt, gc, _KINDS[loss.kernel], a, r
            )
            return total, gWt.T, gc

        # The array properties that make numba's type of X, of the types seen
        # loaded (a check per evaluation: numba.typeof and the signatures
        # take 12 us, this 1 us).
        _loaded_x_types = set()

        def dense_objective_loaded(X):
            """Whether :func:`dense_objective` is compiled or loaded from the
            cache in this process for an ``X`` of this type (a read-only
            array, as joblib's workers get, is a type of its own): then using
            it costs nothing more."""
            flags = X.flags
            key = (
                X.dtype,
                X.ndim,
                flags.c_contiguous,
                flags.f_contiguous,
                flags.writeable,
                flags.aligned,
            )
            if key in _loaded_x_types:
                return True
            loaded = {signature[0] for signature in _linear_objective.signatures}
            if numba.typeof(X) not in loaded:
                return False
            _loaded_x_types.add(key)
            return True
