"""Fitting and prediction on dask arrays (``pip install "sklearn-softmax[dask]"``).

The pattern of Spark MLlib and dask-glm: the data stay in row blocks on the
workers (persisted once); at each L-BFGS evaluation the coefficients are
broadcast, every worker computes its block's loss, ``X_b.T @ (P_b - Q_b)`` and
``sum(P_b - Q_b)`` (:meth:`LinearObjective.block_loss_gradient`, the same code
as in memory), and only these small sums travel back to the client, where
``scipy.optimize`` runs. Without a ``dask.distributed`` client the same graph
runs on dask's local scheduler.

Nothing here is imported unless ``X`` is a dask collection, so dask stays an
optional dependency.
"""

from functools import partial

import dask
import dask.array as da
import numpy as np
import scipy.sparse as sp

from ._base import _check_sample_weight, check_classes, class_indices
from ._objective import LinearObjective
from ._sklearn_compat import compute_class_weight
from ._solver import minimize_lbfgs

__all__ = ["fit_dask", "map_blocks"]


def _as_dask_array(a, row_chunks):
    if a is None:
        return None
    if hasattr(a, "to_dask_array"):  # dask DataFrame / Series
        a = a.to_dask_array(lengths=True)
    if not isinstance(a, da.Array):
        a = da.from_array(
            np.asarray(a), chunks=(row_chunks,) + (-1,) * (np.ndim(a) - 1)
        )
    if a.ndim == 2:
        return a.rechunk((row_chunks, -1))
    return a.rechunk((row_chunks,))


def _client():
    try:
        from distributed import get_client

        return get_client()
    except (ImportError, ValueError):
        return None


# --- target encoding, block by block, on the workers --------------------------


def _block_weights(sw_b, n_rows):
    return _check_sample_weight(
        None if sw_b is None else np.ravel(sw_b), n_rows, positive_sum=False
    )


def _encode_class_block(y_b, sw_b, classes, class_weights):
    y_b = np.asarray(y_b).ravel()
    Q_b = class_indices(y_b, classes)
    sw_b = _block_weights(sw_b, len(y_b))
    if class_weights is not None:
        sw_b = sw_b * class_weights[Q_b]
    return Q_b, sw_b


def _encode_label_set_block(Y_b, sw_b, null_outcome, dtype, weighting):
    from ._multilabel import label_set_targets

    Y_b = Y_b.toarray() if sp.issparse(Y_b) else np.asarray(Y_b)
    sw_b = _block_weights(sw_b, len(Y_b))
    return label_set_targets(Y_b, sw_b, null_outcome, dtype, weighting)


def _check_block(X_b, targets):
    """First pass: finite data; returns the block's total sample weight."""
    data = X_b.data if sp.issparse(X_b) else X_b
    if not np.all(np.isfinite(data)):
        raise ValueError("Input X contains NaN or infinity.")
    return float(np.sum(targets[1]))


def _weighted_class_counts(y_b, sw_b, classes):
    y_b = np.asarray(y_b).ravel()
    sw_b = np.ones(len(y_b)) if sw_b is None else np.asarray(sw_b, dtype=float)
    return np.bincount(class_indices(y_b, classes), sw_b, minlength=len(classes))


def _class_encoder(estimator, y, sw, classes):
    """Set ``classes_``; return the block encoder and the number of outputs."""
    if classes is None:
        classes = da.unique(y).compute()  # one pass over y, skipped if given
    classes = check_classes(classes)
    class_weight = getattr(estimator, "class_weight", None)
    weights = None
    if class_weight == "balanced":
        sw_blocks = (
            sw.to_delayed().ravel() if sw is not None else [None] * y.numblocks[0]
        )
        counts = dask.compute(
            *[
                dask.delayed(_weighted_class_counts)(y_b, sw_b, classes)
                for y_b, sw_b in zip(y.to_delayed().ravel(), sw_blocks, strict=True)
            ]
        )
        counts = np.sum(counts, axis=0)
        weights = counts.sum() / (len(classes) * counts)
    elif class_weight is not None:
        weights = compute_class_weight(
            class_weight, classes=classes, y=classes, sample_weight=None
        )
    estimator.classes_ = classes
    n_outputs = 1 if len(classes) == 2 else len(classes)
    return partial(
        _encode_class_block, classes=classes, class_weights=weights
    ), n_outputs


def _label_set_encoder(estimator, Y, dtype):
    if not hasattr(estimator, "null_outcome"):
        raise ValueError(
            f"{type(estimator).__name__} takes one label per sample (a 1-D y); got a "
            f"2-D y of shape {Y.shape}. For label sets use "
            f"Multilabel{type(estimator).__name__}."
        )
    estimator.classes_ = np.arange(Y.shape[1])
    estimator._indicator_dtype = Y.dtype
    if estimator.null_outcome == "auto":
        null = bool((Y.sum(axis=1) == 0).any().compute())
    else:
        null = bool(estimator.null_outcome)
    estimator.null_outcome_ = null
    encoder = partial(
        _encode_label_set_block,
        null_outcome=null,
        dtype=dtype,
        weighting=estimator.weighting,
    )
    return encoder, Y.shape[1] + null


# --- fit ---------------------------------------------------------------------------


def _evaluate_block(objective, params, X_b, targets, sw_sum):
    Q_b, sw_b = targets
    return objective.block_loss_gradient(params, X_b, Q_b, sw_b / sw_sum)


def fit_dask(estimator, X, y, sample_weight=None, classes=None):
    """Fit ``estimator`` on a dask array ``X``; returns ``(coef, intercept, n_iter)``.

    Sets ``classes_`` (and the multilabel attributes) and ``n_features_in_``.
    """
    X = X.to_dask_array(lengths=True) if hasattr(X, "to_dask_array") else X
    if X.ndim != 2:
        raise ValueError(f"Expected a 2-D X, got {X.ndim} dimension(s).")
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    X = X.rechunk({1: -1})  # one chunk across the features: blocks of rows
    row_chunks = X.chunks[0]
    y = _as_dask_array(y, row_chunks)
    sw = _as_dask_array(sample_weight, row_chunks)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}.")
    estimator.n_features_in_ = X.shape[1]

    if y.ndim == 2 and y.shape[1] > 1:
        encoder, n_outputs = _label_set_encoder(estimator, y, X.dtype)
        estimator._multilabel = True
    else:
        y = y.ravel() if y.ndim == 2 else y
        encoder, n_outputs = _class_encoder(estimator, y, sw, classes)
        if hasattr(estimator, "null_outcome"):
            estimator._multilabel, estimator.null_outcome_ = False, False

    # The blocks stay on the workers: persisted once, referenced by every task.
    X, y = dask.persist(X, y)
    X_blocks = X.to_delayed().ravel()
    y_blocks = y.to_delayed().ravel()
    sw_blocks = sw.to_delayed().ravel() if sw is not None else [None] * len(X_blocks)
    targets = dask.persist(
        *[
            dask.delayed(encoder)(y_b, sw_b)
            for y_b, sw_b in zip(y_blocks, sw_blocks, strict=True)
        ]
    )
    sw_sum = sum(
        dask.compute(
            *[
                dask.delayed(_check_block)(X_b, t)
                for X_b, t in zip(X_blocks, targets, strict=True)
            ]
        )
    )
    if not sw_sum > 0:
        raise ValueError("The sample weights sum to zero: nothing to fit.")

    objective = LinearObjective(
        estimator._loss,
        fit_intercept=estimator.fit_intercept,
        n_features=X.shape[1],
        n_outputs=n_outputs,
    )
    l2_reg_strength = 1.0 / (estimator.C * sw_sum)
    client = _client()

    def fun(params):
        # Broadcast the coefficients once per evaluation; each task reads them.
        shared = (
            client.scatter(params, broadcast=True, hash=False) if client else params
        )
        parts = [
            dask.delayed(_evaluate_block)(objective, shared, X_b, t, sw_sum)
            for X_b, t in zip(X_blocks, targets, strict=True)
        ]
        return objective.combine(params, dask.compute(*parts), l2_reg_strength)

    init = estimator._warm_start_init(n_outputs, X.shape[1])
    x0 = (
        np.zeros(objective.n_params)
        if init is None
        else objective.pack(init[0].T, init[1])
    )
    params, n_iter = minimize_lbfgs(
        fun,
        x0,
        max_iter=estimator.max_iter,
        tol=estimator.tol,
        verbose=estimator.verbose,
    )
    W, b = objective.unpack(params)
    return (
        np.ascontiguousarray(W.T, dtype=X.dtype),
        np.array(b, dtype=X.dtype),
        n_iter,
    )


# --- predict ---------------------------------------------------------------------


def map_blocks(method, X):
    """Apply a fitted estimator's method block by block, lazily."""
    X = X.to_dask_array(lengths=True) if hasattr(X, "to_dask_array") else X
    X = X.rechunk({1: -1})
    sample = method(np.zeros((1, X.shape[1]), dtype=X.dtype))
    if sample.ndim == 1:
        return X.map_blocks(method, dtype=sample.dtype, drop_axis=1)
    return X.map_blocks(
        method, dtype=sample.dtype, chunks=(X.chunks[0], (sample.shape[1],))
    )
