"""Fitting: L-BFGS-B with LogisticRegression's settings on the linear objective."""

import contextlib
import functools
import os
import warnings

import numpy as np
import scipy
from scipy import optimize
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import ThreadpoolController

from ._objective import LinearObjective

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
    with _scipy_blas_single_threaded():
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


@functools.cache
def _scipy_own_blas():
    """threadpoolctl controller of the BLAS that SciPy bundles, if it has its own.

    SciPy's wheels ship a BLAS of their own (in ``scipy.libs``), separate from
    NumPy's. L-BFGS-B runs on SciPy's, the objective's products on NumPy's.
    With both pools at 2 threads on a 2-core machine, the idle pool's threads
    spin while the other works: a scene fit took 0.80 s, against 0.15 s with
    SciPy's pool at 1 thread (NumPy's left alone) and 0.21 s with both at 1.
    Returns None where SciPy and NumPy share one BLAS (nothing to separate).
    """
    scipy_dir = os.path.dirname(os.path.dirname(scipy.__file__))
    own = [
        lib
        for lib in ThreadpoolController().lib_controllers
        if lib.user_api == "blas"
        and os.path.dirname(lib.filepath).startswith(
            (os.path.join(scipy_dir, "scipy.libs"), os.path.dirname(scipy.__file__))
        )
    ]
    if not own:
        return None
    return ThreadpoolController().select(filepath=[lib.filepath for lib in own])


def _scipy_blas_single_threaded():
    """Context: SciPy's own BLAS at one thread (L-BFGS-B's small vector work)."""
    controller = _scipy_own_blas()
    if controller is None:
        return contextlib.nullcontext()
    return controller.limit(limits=1)


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
        loss, fit_intercept=fit_intercept, n_features=X.shape[1], n_outputs=n_outputs
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
