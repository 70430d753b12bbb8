"""The L2-regularized linear objective that the estimators minimize.

.. math::

    F(W, b) = \\frac{1}{s_{sum}} \\sum_i s_i L(x_i W + b; q_i)
              + \\frac{1}{2 C s_{sum}} \\|W\\|_F^2

with ``s`` the sample weights, ``s_sum`` their sum, the intercept ``b`` not
penalized, and ``L`` a loss of :mod:`sklearn_softmax.losses`. This is exactly
the objective of scikit-learn's ``LogisticRegression`` (``C`` has the same
meaning), with the loss left open.

Parameters are packed in one flat float64 vector, as ``scipy.optimize`` wants:
the ``(n_features, n_outputs)`` matrix ``W`` in C order, then ``b``.

Binary problems use one output (``n_outputs == 1``): the logits of the two
classes are ``(0, s)`` with ``s = x w + b``. This is the symmetric two-class
model ``W = (-w/2, w/2)``, whose penalty is ``||w||^2 / 2``; the penalty is
halved accordingly, so that the solution is that of the full two-class model.
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from sklearn import get_config

from .functional import _compiled, _compiled_if_loaded
from .losses import _OVERFLOW_MESSAGE, _check_targets, _jacobian_product

__all__ = ["LinearObjective", "linear_logits"]


def linear_logits(X, W, b):
    """Logits ``(n_samples, n_classes)`` of the linear model ``X W + b``.

    With a single output column (binary problem) the logits are ``(0, s)``.
    """
    S = X @ W
    S += b
    if S.shape[1] == 1:
        Z = np.zeros((S.shape[0], 2), dtype=S.dtype)
        Z[:, 1:] = S
        return Z
    return S


class LinearObjective:
    """Value and gradient of the regularized objective, in one pass.

    Parameters
    ----------
    loss : SoftmaxLoss or SparsemaxLoss
        Pointwise loss in logit space.
    fit_intercept : bool
        Whether the packed parameters end with an (unpenalized) intercept.
    n_features : int
        Number of columns of ``X``.
    n_outputs : int
        Number of classes, or 1 for the symmetric binary model.
    n_threads : int, default=1
        Threads over row blocks for sparse ``X``, whose products SciPy runs on
        one thread (it releases the GIL). Dense products are already
        multithreaded by the BLAS.
    offset : ndarray of shape (n_features,) or None, default=None
        With an intercept: the (weighted) mean of the features, for implicit
        centering. The packed intercept is then ``b' = b + offset @ W`` and the
        logits ``X W + b' - offset @ W``, the logits of centered features:
        the same objective and minimizer (the intercept is not penalized), but
        the intercept no longer moves with every coefficient, which on
        uncentered data (sparse features scaled without centering) divides
        the L-BFGS iterations by 3 to 10. ``X`` stays as it is (sparse stays
        sparse); :meth:`coef_intercept` and :meth:`initial_params` convert.
    """

    # Below this many stored values a sparse X is not worth splitting.
    _MIN_NNZ_PER_THREAD = 50_000

    def __init__(
        self, loss, *, fit_intercept, n_features, n_outputs, n_threads=1, offset=None
    ):
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.n_features = n_features
        self.n_outputs = n_outputs
        self.n_threads = n_threads
        self.offset = offset if fit_intercept else None

    @property
    def n_classes(self):
        """Number of classes: ``n_outputs``, or 2 for the binary model."""
        return max(self.n_outputs, 2)

    @property
    def n_params(self):
        return (self.n_features + int(self.fit_intercept)) * self.n_outputs

    def unpack(self, params):
        """Views ``(W, b)`` of flat parameters (``b`` is zeros without intercept)."""
        params = np.asarray(params)
        W = params[: self.n_features * self.n_outputs].reshape(
            self.n_features, self.n_outputs
        )
        if self.fit_intercept:
            b = params[self.n_features * self.n_outputs :]
        else:
            b = np.zeros(self.n_outputs, dtype=params.dtype)
        return W, b

    def initial_params(self, init=None, q_mean=None):
        """Flat starting point: ``init = (coef, intercept)`` when its shape fits
        (a warm start); else zero coefficients and, given the mean target
        distribution ``q_mean`` (one entry per class), the loss's
        ``start_logits(q_mean)`` as intercept."""
        if init is not None and np.shape(init[0]) == (self.n_outputs, self.n_features):
            W = np.asarray(init[0], dtype=np.float64).T
            b = np.asarray(init[1], dtype=np.float64)
            if self.offset is not None:
                b = b + self.offset @ W
            return self.pack(W, b)
        params = np.zeros(self.n_params)
        if self.fit_intercept and q_mean is not None:
            b = self.loss.start_logits(np.asarray(q_mean, dtype=np.float64))
            # Binary: the logits are (0, s), s = b_1 - b_0.
            self.unpack(params)[1][:] = b[1:] - b[0] if self.n_outputs == 1 else b
        return params

    def coef_intercept(self, params):
        """``(W, b)`` of the model: the packed intercept without the offset."""
        W, b = self.unpack(params)
        if self.offset is not None:
            b = b - self.offset @ W
        return W, b

    def _logit_intercept(self, W, b):
        """The intercept added to ``X W``: ``b' - offset @ W``."""
        return b if self.offset is None else b - self.offset @ W

    def pack(self, W, b):
        """Flat float64 parameter vector from ``W`` and ``b``."""
        parts = [np.asarray(W, dtype=np.float64).ravel()]
        if self.fit_intercept:
            parts.append(np.asarray(b, dtype=np.float64).ravel())
        return np.concatenate(parts)

    def block_rows(self, n_samples, itemsize):
        """Rows per block: the logits of a block take at most 1/8 of scikit-learn's
        ``working_memory`` (128 MiB by default), the loss's temporaries a few
        times that, so that the memory of an evaluation does not grow with
        ``n_samples``."""
        budget = get_config()["working_memory"] * 2**20 / 8
        return int(max(1, min(n_samples, budget // (self.n_classes * itemsize))))

    def _blocks(self, X):
        """Row slices of ``X`` to process, and how many threads to use."""
        n_samples = X.shape[0]
        step = self.block_rows(n_samples, X.dtype.itemsize)
        n_threads = 1
        if sp.issparse(X) and self.n_threads > 1:
            n_threads = int(min(self.n_threads, X.nnz // self._MIN_NNZ_PER_THREAD))
            if n_threads > 1:
                step = min(step, -(-n_samples // n_threads))
        starts = range(0, n_samples, step)
        return [slice(i, min(i + step, n_samples)) for i in starts], max(n_threads, 1)

    # The compiled one-pass objective pays on dense float64 X up to this many
    # classes. Sparsemax, per evaluation against NumPy's two-threaded BLAS
    # and the NumPy loss: 0.49-0.80x at 3-14 classes (iris to 50,000 x 200),
    # 1.02-1.09x at 20-36 (5,000 x 200). Float32 keeps the BLAS path: sgemm
    # runs twice as fast as the kernel, which computes in float64 (1.0-1.5x).
    _COMPILED_MAX_CLASSES = 16
    # ... and from this many multiply-adds per product: below, a whole fit
    # saves a millisecond or two (iris: 21 evaluations), less than loading
    # the kernel costs the first fit of a process (30 ms; 2.5 s to compile
    # it after an install).
    _COMPILED_MIN_WORK = 100_000

    # Softmax takes the compiled pass where its products would run on one
    # thread of NumPy's BLAS (small fits, see _threads, or a thread limit):
    # per evaluation 0.45-0.89x at 3-20 classes, 1,000 x 100 to 10,000 x 100
    # (MULAN scene 0.57). Against two threads it paid only up to 6 classes
    # (0.75-0.95x; 0.98-1.37x at 8-20), and binary problems keep BLAS's
    # matrix-vector products (0.87-1.31x). A softmax fit never imports numba
    # (a third of a second, more than most such fits take): it uses the
    # kernel once a sparsemax fit in the process has loaded it for this type
    # of X (read-only arrays are another type, loaded or compiled apart).

    def _compiled_kernel(self, X):
        """The compiled objective for this block, or None."""
        if (
            self.n_classes > self._COMPILED_MAX_CLASSES
            or X.shape[0] * X.shape[1] * self.n_outputs < self._COMPILED_MIN_WORK
            or sp.issparse(X)
            or X.dtype != np.float64
            or not X.flags.c_contiguous
        ):
            return None
        if self.loss.kernel in ("sparsemax", "entmax"):
            return _compiled().dense_objective
        if self.loss.kernel != "softmax" or self.n_outputs == 1 or self.n_threads > 1:
            return None
        module = _compiled_if_loaded()
        if module is None or not module.dense_objective_loaded(X):
            return None
        return module.dense_objective

    def _block_loss_gradient(self, X_b, Q_b, sw_b, W, b):
        """Weighted loss sum, ``X_b.T @ G`` and ``G.sum(0)`` of one block, from
        float64 ``W`` and logit intercept ``b``."""
        kernel = self._compiled_kernel(X_b)
        if kernel is not None:
            _check_targets(Q_b, (X_b.shape[0], self.n_classes))
            value, grad_W, grad_b = kernel(X_b, W, b, Q_b, sw_b, self.loss)
            if not np.isfinite(value):
                raise ValueError(_OVERFLOW_MESSAGE)
            return value, grad_W, grad_b if self.fit_intercept else None
        W_X, b_X = W.astype(X_b.dtype, copy=False), b.astype(X_b.dtype, copy=False)
        loss, G = self.loss.loss_gradient(
            linear_logits(X_b, W_X, b_X), Q_b, overwrite_z=True
        )
        if self.n_outputs == 1:
            G = G[:, 1:]
        G *= sw_b.astype(G.dtype, copy=False)[:, None]
        # Column sums through BLAS (gemv): much faster than sum(axis=0) for few columns.
        grad_b = np.ones(G.shape[0], dtype=G.dtype) @ G if self.fit_intercept else None
        return float(loss @ sw_b), X_b.T @ G, grad_b

    def loss_gradient(self, params, X, Q, sample_weight, l2_reg_strength):
        """Objective value and its gradient with respect to ``params``.

        Rows are processed in blocks (see :meth:`block_rows`), in parallel
        threads for a large sparse ``X``: per block one ``X_b @ W``, the loss
        and ``P - Q`` in place, one ``X_b.T @ G``.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
            Packed ``(W, b)``.
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Data, float32 or float64; never densified (CSR blocks are views).
        Q : ndarray of shape (n_samples, n_classes) or (n_samples,)
            Target distributions, or class indices for one-hot targets.
        sample_weight : ndarray of shape (n_samples,)
            Sample weights divided by their sum.
        l2_reg_strength : float
            ``1 / (C * s_sum)``.

        Returns
        -------
        value : float
        gradient : ndarray of shape (n_params,), float64
        """
        W, b = self.unpack(params)
        b = self._logit_intercept(W, b)
        blocks, n_threads = self._blocks(X)

        def block_result(rows):
            X_b = X if len(blocks) == 1 else _row_block(X, rows)
            return self._block_loss_gradient(X_b, Q[rows], sample_weight[rows], W, b)

        if n_threads > 1:
            with ThreadPoolExecutor(n_threads) as executor:
                results = list(executor.map(block_result, blocks))
        else:
            results = map(block_result, blocks)

        return self.combine(params, results, l2_reg_strength, X.dtype)

    def hessian_product(self, params, X, sample_weight, l2_reg_strength):
        """The Hessian of the objective at ``params``, as a product function.

        The loss's Hessian in the logits is ``diag(g) - g g^T / sum(g)`` row
        by row (:meth:`EntmaxLoss.hessian_weights`); through the linear model,
        ``H d = X^T (s * J (X dW + db')) + l2 dW`` (with the implicit centering
        and the binary model's one logit column, as in :meth:`loss_gradient`).
        The weights ``g`` are computed once, here, per block of rows; each
        product then costs two passes over ``X``. Truncated Newton methods
        (``scipy.optimize.minimize(..., hessp=...)``) call it many times per
        point.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
            Packed ``(W, b)``.
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        sample_weight : ndarray of shape (n_samples,)
            Sample weights divided by their sum.
        l2_reg_strength : float
            ``1 / (C * s_sum)``.

        Returns
        -------
        hessp : callable
            ``hessp(d) -> H d``, both of shape (n_params,), float64.
        """
        W, b = self.unpack(params)
        b = self._logit_intercept(W, b)
        blocks, _ = self._blocks(X)
        parts = []
        for rows in blocks:
            X_b = X if len(blocks) == 1 else _row_block(X, rows)
            W_X, b_X = W.astype(X_b.dtype, copy=False), b.astype(X_b.dtype, copy=False)
            g = self.loss.hessian_weights(linear_logits(X_b, W_X, b_X))
            parts.append((X_b, g, sample_weight[rows].astype(g.dtype, copy=False)))
        penalty_scale = 0.5 if self.n_outputs == 1 else 1.0

        def hessp(d):
            dW, db = self.unpack(d)
            db = self._logit_intercept(dW, db)
            out = np.zeros(self.n_params)
            out_W, out_b = self.unpack(out)
            for X_b, g, sw_b in parts:
                dZ = linear_logits(X_b, dW.astype(g.dtype), db.astype(g.dtype))
                if self.n_outputs == 1:
                    dZ[:, 0] = 0.0
                R = _jacobian_product(g, dZ)
                if self.n_outputs == 1:
                    R = R[:, 1:]
                R *= sw_b[:, None]
                out_W += X_b.T @ R
                if self.fit_intercept:
                    out_b += R.sum(axis=0)
            if self.offset is not None:
                out_W -= np.outer(self.offset, out_b)
            out_W += penalty_scale * l2_reg_strength * dW
            return out

        return hessp

    def block_loss_gradient(self, params, X_b, Q_b, sw_b):
        """Weighted loss sum and gradient parts of one block of rows.

        What a worker computes on its block when ``X`` is distributed; sum the
        results of all blocks with :meth:`combine`.
        """
        W, b = self.unpack(params)
        b = self._logit_intercept(W, b)
        return self._block_loss_gradient(X_b, Q_b, sw_b, W, b)

    def combine(self, params, block_results, l2_reg_strength, dtype=np.float64):
        """Objective value and gradient from the blocks' results, plus the penalty.

        The value is rounded to ``dtype``, the precision of the data: with
        float32 data the digits beyond it are rounding noise of the float32
        logits, and L-BFGS-B, seeing noise where the objective has stopped
        decreasing, would end in a failed line search instead of its relative
        reduction test (``LogisticRegression`` returns float32 values too).
        """
        W, _ = self.unpack(params)
        grad = np.zeros_like(params, dtype=np.float64)
        grad_W, grad_b = self.unpack(grad)
        value = 0.0
        for block_value, block_grad_W, block_grad_b in block_results:
            value += block_value
            grad_W += block_grad_W
            if self.fit_intercept:
                grad_b += block_grad_b
        if self.offset is not None:  # d/dW of the logits' -offset @ W
            grad_W -= np.outer(self.offset, grad_b)

        penalty_scale = 0.5 if self.n_outputs == 1 else 1.0
        l2 = penalty_scale * l2_reg_strength
        value += 0.5 * l2 * float(W.ravel() @ W.ravel())
        grad_W += l2 * W
        return float(np.asarray(value, dtype=dtype)), grad


def _row_block(X, rows):
    """Rows of ``X``: a view for dense arrays and, without copying the data,
    for CSR matrices."""
    if not sp.issparse(X):
        return X[rows]
    start, stop = X.indptr[rows.start], X.indptr[rows.stop]
    return sp.csr_matrix(
        (
            X.data[start:stop],
            X.indices[start:stop],
            X.indptr[rows.start : rows.stop + 1] - start,
        ),
        shape=(rows.stop - rows.start, X.shape[1]),
        copy=False,
    )
