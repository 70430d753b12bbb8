"""Fitting: L-BFGS-B with LogisticRegression's settings on the linear objective."""

import warnings

import numpy as np
from scipy import optimize
from sklearn.exceptions import ConvergenceWarning

from ._objective import LinearObjective
from ._threads import data_threads, scipy_blas_single_threaded

__all__ = ["fit_linear_model", "minimize_lbfgs"]


def minimize_lbfgs(fun, x0, args=(), *, max_iter, tol, verbose=0):
    """Minimize ``fun(x, *args) -> (value, gradient)`` with L-BFGS-B.

    The stopping settings are those of ``LogisticRegression(solver="lbfgs")``:
    ``gtol=tol`` (max absolute projected gradient), ``ftol=64 * eps`` and
    ``maxls=50``.

    Returns
    -------
    x : ndarray
        The solution.
    n_iter : int
        Number of L-BFGS iterations, at most ``max_iter``.
    """
    options = {
        "maxiter": max_iter,
        "maxls": 50,
        "gtol": tol,
        "ftol": 64 * np.finfo(float).eps,
    }
    callback = _progress_printer() if verbose else None
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
        advice = (
            f"Increase the number of iterations (max_iter={max_iter})"
            if n_iter >= max_iter
            else "Increase tol"
        )
        warnings.warn(
            f"L-BFGS failed to converge after {n_iter} iteration(s) "
            f"(status={result.status}): {message}\n"
            f"{advice}, or scale the data (e.g. with "
            "sklearn.preprocessing.StandardScaler).",
            ConvergenceWarning,
            # minimize_lbfgs <- fit_linear_model <- _fit <- fit <- _fit_context
            # <- the caller's fit
            stacklevel=6,
        )
    return result.x, n_iter


def _progress_printer():
    """L-BFGS callback for ``verbose > 0``: one line per iteration."""
    n_iter = 0

    def callback(intermediate_result):
        nonlocal n_iter
        n_iter += 1
        print(f"L-BFGS iteration {n_iter}: objective = {intermediate_result.fun:.10g}")

    return callback


def fit_linear_model(
    loss,
    X,
    Q,
    sample_weight,
    *,
    C,
    fit_intercept,
    n_outputs,
    max_iter,
    tol,
    verbose=0,
    init=None,
):
    """Minimize the regularized linear objective of :mod:`._objective`.

    Parameters
    ----------
    loss : SoftmaxLoss or SparsemaxLoss
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    Q : ndarray of shape (n_samples, n_classes) or (n_samples,)
        Target distributions, or class indices for one-hot targets.
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights with a positive sum.
    C : float
        Inverse regularization strength, as in ``LogisticRegression``.
    fit_intercept : bool
    n_outputs : int
        ``n_classes``, or 1 for the symmetric binary model.
    max_iter, tol, verbose
        Solver settings.
    init : tuple (coef, intercept) or None
        Starting point (warm start); zeros when None.

    Returns
    -------
    coef : ndarray of shape (n_outputs, n_features), dtype of ``X``
    intercept : ndarray of shape (n_outputs,), dtype of ``X``
    n_iter : int
    """
    objective = LinearObjective(
        loss,
        fit_intercept=fit_intercept,
        n_features=X.shape[1],
        n_outputs=n_outputs,
        n_threads=data_threads(),
    )
    sw_sum = float(np.sum(sample_weight))
    if init is None:
        x0 = np.zeros(objective.n_params)
    else:
        x0 = objective.pack(init[0].T, init[1])
    args = (X, Q, sample_weight / sw_sum, 1.0 / (C * sw_sum))
    params, n_iter = minimize_lbfgs(
        objective.loss_gradient, x0, args, max_iter=max_iter, tol=tol, verbose=verbose
    )
    W, b = objective.unpack(params)
    return (
        np.ascontiguousarray(W.T, dtype=X.dtype),
        np.array(b, dtype=X.dtype),
        n_iter,
    )
