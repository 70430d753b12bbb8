"""Fitting: L-BFGS-B with LogisticRegression's settings on the linear objective."""

import copy
import warnings

import numpy as np
import scipy.sparse as sp
from scipy import optimize
from sklearn.exceptions import ConvergenceWarning

from ._objective import LinearObjective
from ._targets import target_sums
from ._threads import (
    data_threads,
    scipy_blas_single_threaded,
    small_fit_single_threaded,
)
from ._warnings import user_stacklevel

__all__ = [
    "InMemoryData",
    "fit_path",
    "lbfgs_corrections",
    "minimize_lbfgs",
    "solve_path",
]

# How many correction pairs L-BFGS-B keeps (scipy's ``maxcor``). Its step
# costs about 5 ns per pair and coefficient here, besides the evaluation:
# 0.1 ms at 1,770 coefficients and 10 pairs, 3 ms at 50,050. On sparse X
# with few stored values per feature an evaluation costs little per
# coefficient, and at 10 pairs the step took 17-60% of the fit (text-like
# stand-in, 1,100 x 1,000, 50 labels, 14 values per feature: 493 of 829 ms),
# while 3 pairs reached tol in about as many iterations: fit time 0.55-1.05x
# (median 0.78) over 24 sparse fits with 14-250 values per feature (both
# losses, C = 0.01 and 1; bench_fit's CSR 50,000 x 20,000 among them). The
# same test stops 3 pairs at a looser point; to equal objective accuracy
# (1e-2 to 1e-6 of the optimum) they took 0.61-0.77x the time of 10 on the
# stand-in, and were even on the CSR problem (softmax, 231 vs 240 ms per
# iteration, 45 / 58 / 70 vs 42 / 56 / 67 iterations to 1e-4 / 5 / 6). On
# dense X, and sparse X with 1,000 and more values per feature, 10 pairs
# (scipy's default and LogisticRegression's) took 0-31% fewer iterations
# (MULAN scene / yeast / emotions, iris, digits, 50,000 x 200), and there
# an iteration costs more than the step saves.
_CORRECTIONS = 10
_SPARSE_CORRECTIONS = 3
_SPARSE_MAX_VALUES_PER_FEATURE = 1_000


def lbfgs_corrections(X):
    """L-BFGS-B's number of correction pairs for a fit on ``X``."""
    if sp.issparse(X) and X.nnz < _SPARSE_MAX_VALUES_PER_FEATURE * X.shape[1]:
        return _SPARSE_CORRECTIONS
    return _CORRECTIONS


def minimize_lbfgs(
    fun,
    x0,
    args=(),
    *,
    max_iter,
    tol,
    verbose=0,
    corrections=_CORRECTIONS,
    hessian=None,
):
    """Minimize ``fun(x, *args) -> (value, gradient)`` with L-BFGS-B.

    The stopping settings are those of ``LogisticRegression(solver="lbfgs")``:
    ``gtol=tol`` (max absolute projected gradient), ``ftol=64 * eps`` and
    ``maxls=50``; ``corrections`` pairs (``maxcor``, see
    :func:`lbfgs_corrections`).

    L-BFGS-B also stops when an iteration reduces the objective by less than
    ``ftol`` relative to it, which can come before ``tol``: ``tol=1e-10``
    left a largest gradient entry of 2.4e-8 on iris (1.5-entmax, C=0.5).
    Given ``hessian(x, *args) -> (d -> H d)``, the fit then goes on with
    Newton steps to ``tol`` (:func:`_newton_to_tol`) within the remaining
    ``max_iter``.

    Returns
    -------
    x : ndarray
        The solution.
    n_iter : int
        Number of iterations (L-BFGS and Newton), at most ``max_iter``.
    """
    options = {
        "maxiter": max_iter,
        "maxcor": corrections,
        "maxls": 50,
        "gtol": tol,
        "ftol": 64 * np.finfo(float).eps,
    }
    callback = _progress_printer() if verbose else None
    if max_iter == 0:
        # SciPy's L-BFGS-B takes a first step even at maxiter=0: n_iter_ == 0
        # means the start point here, not wherever that step went.
        _warn_not_converged(
            0, max_iter, 1, "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT"
        )
        return np.array(x0, dtype=np.float64), 0
    with scipy_blas_single_threaded():
        result = optimize.minimize(
            fun,
            x0,
            args=args,
            method="L-BFGS-B",
            jac=True,
            options=options,
            callback=callback,
        )
    n_iter = min(int(result.nit), max_iter)
    if result.status != 0:
        message = result.message
        if isinstance(message, bytes):
            message = message.decode("latin1")
        _warn_not_converged(n_iter, max_iter, result.status, message)
        return result.x, n_iter
    if hessian is not None and np.max(np.abs(result.jac)) > tol and n_iter < max_iter:
        return _newton_to_tol(fun, result.x, args, hessian, tol, n_iter, max_iter)
    return result.x, n_iter


# Newton steps after L-BFGS: near the optimum they converge quadratically
# (1-16 steps on digits and iris at tol 1e-8 to 1e-10); where they do not
# (no strict minimum, as with C=np.inf on separable data), more of them,
# each with its conjugate-gradient Hessian products, would not help.
_MAX_NEWTON_STEPS = 20


def _newton_to_tol(fun, x, args, hessian, tol, n_iter, max_iter):
    """Newton's method with a trust region (scipy's ``trust-ncg``, the
    Hessian by exact products, conjugate gradients inside) from a point near
    the optimum, until the largest gradient entry is below ``tol``, within
    ``_MAX_NEWTON_STEPS`` and ``max_iter`` in all."""
    products = {}

    def hessp(x, d, *args):
        key = x.tobytes()
        if key not in products:  # the Hessian's weights once per point
            products.clear()
            products[key] = hessian(x, *args)
        return products[key](d)

    result = optimize.minimize(
        fun,
        x,
        args=args,
        method="trust-ncg",
        jac=True,
        hessp=hessp,
        # The 2-norm, at least the largest entry: gtol=tol is tol or better.
        options={
            "gtol": tol,
            "maxiter": min(max_iter - n_iter, _MAX_NEWTON_STEPS),
        },
    )
    n_iter = min(n_iter + int(result.nit), max_iter)
    # A best effort past L-BFGS-B's own stop: it warns only where it used up
    # max_iter. Where the objective's rounding stops it ("a bad approximation
    # caused failure to predict improvement": reductions at the noise level,
    # as L-BFGS-B's relative reduction test), the fit is as L-BFGS-B had left
    # it or better (a trust region takes no step that does not decrease the
    # objective), and L-BFGS-B did not warn there either.
    if np.max(np.abs(result.jac)) > tol and n_iter >= max_iter:
        _warn_not_converged(
            n_iter, max_iter, result.status, f"Newton steps: {result.message}"
        )
    return result.x, n_iter


def _warn_not_converged(n_iter, max_iter, status, message):
    advice = (
        f"Increase the number of iterations (max_iter={max_iter})"
        if n_iter >= max_iter
        else "Increase tol"
    )
    warnings.warn(
        f"L-BFGS failed to converge after {n_iter} iteration(s) "
        f"(status={status}): {message}\n"
        f"{advice}, or scale the data (e.g. with "
        "sklearn.preprocessing.StandardScaler).",
        ConvergenceWarning,
        stacklevel=user_stacklevel(),
    )


def _progress_printer():
    """L-BFGS callback for ``verbose > 0``: one line per iteration."""
    n_iter = 0

    def callback(intermediate_result):
        nonlocal n_iter
        n_iter += 1
        print(f"L-BFGS iteration {n_iter}: objective = {intermediate_result.fun:.10g}")

    return callback


class InMemoryData:
    """What :func:`fit_path` needs of the data, for arrays in memory.

    A fit's data give their shape and dtype, the features worth fitting, the
    weighted moments that start the fit (total weight, feature means for the
    implicit centering, mean target) and their evaluation of the objective.
    The dask fit (:mod:`._dask`) gives the same from blocks on its workers:
    the rest of a fit is :func:`fit_path`'s, for both.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    Q : ndarray of shape (n_samples, n_classes) or (n_samples,)
        Target distributions, or class indices for one-hot targets.
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights with a positive sum.
    """

    def __init__(self, X, Q, sample_weight):
        self.X, self.Q = X, Q
        self.sw_sum = float(np.sum(sample_weight))
        self.sample_weight = sample_weight / self.sw_sum

    @property
    def shape(self):
        return self.X.shape

    def occurring_features(self):
        """Indices of the features to fit, or None for all (see fit_path)."""
        return _occurring_features(self.X)

    def restricted(self, features):
        data = copy.copy(self)
        data.X = self.X[:, features]
        return data

    def moments(self, n_classes):
        """``(sw_sum, feature means, mean target)``, weighted."""
        offset = np.asarray(self.X.T @ self.sample_weight, dtype=np.float64).ravel()
        q_mean = target_sums(self.Q, self.sample_weight, n_classes)
        return self.sw_sum, offset, q_mean

    def hessian(self, objective):
        """``hessian(params, l2_reg_strength) -> (d -> H d)``, for float64
        data (with float32 data the objective's rounding is above the
        gradients Newton steps would resolve); else None."""
        if self.X.dtype != np.float64:
            return None

        def hessian(params, l2_reg_strength):
            return objective.hessian_product(
                params, self.X, self.sample_weight, l2_reg_strength
            )

        return hessian

    def evaluator(self, objective):
        """``evaluate(params, l2_reg_strength) -> (value, gradient)``."""

        def evaluate(params, l2_reg_strength):
            return objective.loss_gradient(
                params, self.X, self.Q, self.sample_weight, l2_reg_strength
            )

        return evaluate


def fit_path(
    loss,
    data,
    Cs,
    *,
    n_outputs,
    fit_intercept,
    max_iter,
    tol,
    verbose=0,
    init=None,
):
    """Minimize the regularized linear objective of :mod:`._objective` for each C.

    The path runs in the order of ``Cs``, each solution the starting point of
    the next (warm start); a fit is a path of one ``C``. The one fit of the
    package: in memory and on dask alike, only ``data`` differs.

    Parameters
    ----------
    loss : EntmaxLoss
        A loss of :mod:`sklearn_softmax.losses`.
    data : InMemoryData or the dask fit's blocks
        The data, their moments and their evaluation of the objective.
    Cs : sequence of float
        Inverse regularization strengths, as ``C`` in ``LogisticRegression``
        (``np.inf``: no penalty).
    n_outputs : int
        ``n_classes``, or 1 for the symmetric binary model.
    fit_intercept : bool
    max_iter, tol, verbose
        Solver settings, for each ``C``.
    init : tuple (coef, intercept) or None
        Starting point of the first ``C`` (warm start), used when its shape
        fits; zeros otherwise.

    Returns
    -------
    solutions : list of (coef, intercept, n_iter), one per ``C``
        ``coef`` of shape (n_outputs, n_features) and ``intercept`` of shape
        (n_outputs,), in the dtype of the data.

    Notes
    -----
    Features that never occur in a sparse ``X`` (no stored value) are left
    out of the minimization: only the penalty acts on their coefficients,
    which are 0 at the optimum (and stay 0 along L-BFGS's path from 0). On
    text data a training split often misses a good part of the vocabulary,
    and L-BFGS-B's step costs per coefficient (see ``_CORRECTIONS``).
    """
    n_features = data.shape[1]
    occurring = data.occurring_features()
    if occurring is not None:
        data = data.restricted(occurring)
        if init is not None and np.shape(init[0])[1:] == (n_features,):
            init = (np.asarray(init[0])[:, occurring], init[1])
    with small_fit_single_threaded(data.X, n_outputs):
        n_classes = max(n_outputs, 2)
        sw_sum, offset, q_mean = data.moments(n_classes)
        objective = LinearObjective(
            loss,
            fit_intercept=fit_intercept,
            n_features=data.shape[1],
            n_outputs=n_outputs,
            n_threads=data_threads(),
            offset=offset,  # implicit centering: the weighted feature means
        )
        solutions = solve_path(
            data.evaluator(objective),
            objective,
            Cs,
            sw_sum,
            dtype=data.X.dtype,
            init=init,
            q_mean=q_mean,
            max_iter=max_iter,
            tol=tol,
            verbose=verbose,
            corrections=lbfgs_corrections(data.X),
            hessian=data.hessian(objective),
        )
    if occurring is None:
        return solutions
    expanded = []
    for coef, intercept, n_iter in solutions:
        full = np.zeros((coef.shape[0], n_features), dtype=coef.dtype)
        full[:, occurring] = coef
        expanded.append((full, intercept, n_iter))
    return expanded


def _occurring_features(X):
    """Indices of the features with a stored value in a sparse ``X``, or None
    when there is nothing to leave out (dense ``X``, or every feature occurs)."""
    if not sp.issparse(X):
        return None
    counts = np.bincount(X.tocsr().indices, minlength=X.shape[1])
    if counts.all():
        return None
    return np.flatnonzero(counts)


def solve_path(
    evaluate,
    objective,
    Cs,
    sw_sum,
    *,
    dtype,
    init,
    q_mean,
    max_iter,
    tol,
    verbose,
    corrections=_CORRECTIONS,
    hessian=None,
):
    """L-BFGS along ``Cs``: ``evaluate(params, l2_reg_strength)`` gives the
    objective and its gradient (in memory or summed over dask blocks);
    ``q_mean``, the weighted mean target distribution, sets the starting
    intercept (:meth:`LinearObjective.initial_params`); ``corrections`` and
    ``hessian(params, l2_reg_strength)``, as in :func:`minimize_lbfgs`."""
    params = objective.initial_params(init, q_mean)
    solutions = []
    for C in Cs:
        params, n_iter = minimize_lbfgs(
            evaluate,
            params,
            (1.0 / (C * sw_sum),),
            max_iter=max_iter,
            tol=tol,
            verbose=verbose,
            corrections=corrections,
            hessian=hessian,
        )
        W, b = objective.coef_intercept(params)
        solutions.append(
            (np.ascontiguousarray(W.T, dtype=dtype), np.array(b, dtype=dtype), n_iter)
        )
    return solutions
