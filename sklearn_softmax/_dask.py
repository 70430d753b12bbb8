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

import warnings

import dask
import dask.array as da
import numpy as np
from sklearn.exceptions import DataConversionWarning
from sklearn.utils import assert_all_finite

from ._solver import fit_path
from ._targets import ClassTargets, check_sample_weight, target_sums

__all__ = ["fit_dask", "map_blocks"]


def _as_dask_array(a, row_chunks):
    if a is None:
        return None
    if hasattr(a, "to_dask_array"):  # dask DataFrame / Series
        a = a.to_dask_array(lengths=True)
    if not isinstance(a, da.Array):
        a = np.asarray(a)
        a = da.from_array(a, chunks=(row_chunks,) + (-1,) * (a.ndim - 1))
    if a.ndim == 2:
        return a.rechunk((row_chunks, -1))
    return a.rechunk((row_chunks,))


def _client():
    try:
        from distributed import get_client

        return get_client()
    except (ImportError, ValueError):
        return None


# --- what runs on the workers, block by block ----------------------------------


def _block_weights(sw_b, n_rows):
    return check_sample_weight(
        None if sw_b is None else np.ravel(sw_b), n_rows, positive_sum=False
    )


def _summarize_block(targets, y_b, sw_b):
    return targets.summarize(y_b, _block_weights(sw_b, y_b.shape[0]))


def _encode_block(targets, y_b, sw_b, dtype):
    return targets.encode(y_b, _block_weights(sw_b, y_b.shape[0]), dtype)


def _check_block(X_b, encoded, n_classes, estimator_name):
    """Finite data (scikit-learn's check and words, as in memory); returns the
    block's total sample weight, weighted feature sums and target sums."""
    assert_all_finite(X_b, estimator_name=estimator_name, input_name="X")
    Q_b, sw_b = encoded
    return (
        float(np.sum(sw_b)),
        np.asarray(X_b.T @ sw_b, dtype=np.float64).ravel(),
        target_sums(Q_b, sw_b, n_classes),
    )


def _evaluate_block(objective, params, X_b, encoded, sw_sum):
    Q_b, sw_b = encoded
    return objective.block_loss_gradient(params, X_b, Q_b, sw_b / sw_sum)


class _BlockData:
    """The dask fit's data for :func:`._solver.fit_path`, as
    :class:`._solver.InMemoryData` gives them in memory: the moments summed
    over the blocks' checks, and an evaluation of the objective that sends
    the coefficients to the workers and sums their blocks' results."""

    def __init__(self, X, X_blocks, encoded, checked):
        self.X = X  # the dask array: shape and dtype
        self.X_blocks, self.encoded, self.checked = X_blocks, encoded, checked
        self.sw_sum = sum(c[0] for c in checked)

    @property
    def shape(self):
        return self.X.shape

    def occurring_features(self):
        # Dense blocks: every feature can occur.
        return None

    def hessian(self, objective):
        # Hessian products would cost a round trip to the workers each.
        return None

    def moments(self, n_classes):
        offset = sum(c[1] for c in self.checked) / self.sw_sum
        q_mean = sum(c[2] for c in self.checked) / self.sw_sum
        return self.sw_sum, offset, q_mean

    def evaluator(self, objective):
        client = _client()

        def evaluate(params, l2_reg_strength):
            # Broadcast the coefficients once per evaluation; each task reads them.
            shared = (
                client.scatter(params, broadcast=True, hash=False) if client else params
            )
            parts = [
                dask.delayed(_evaluate_block)(objective, shared, X_b, e, self.sw_sum)
                for X_b, e in zip(self.X_blocks, self.encoded, strict=True)
            ]
            return objective.combine(
                params, dask.compute(*parts), l2_reg_strength, self.X.dtype
            )

        return evaluate


# --- fit ---------------------------------------------------------------------------


def fit_dask(
    loss, targets, X, y, sample_weight, Cs, *, fit_intercept, estimator_name, **solver
):
    """Fit on a dask ``X``: the steps of the in-memory fit, block by block.

    ``targets`` (a target encoder of :mod:`._targets`) summarizes each block
    of ``y``, is fitted once on the client and encodes each block on its
    worker; the fit itself is :func:`._solver.fit_path`'s, on the blocks'
    moments and evaluation (:class:`_BlockData`). Returns its solutions, one
    per C; the estimator sets its attributes from them and from ``targets``.
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
    if isinstance(targets, ClassTargets) and y.ndim == 2:
        warnings.warn(  # validate_data's warning in memory
            "A column-vector y was passed when a 1d array was expected. Please "
            "change the shape of y to (n_samples, ), for example using ravel().",
            DataConversionWarning,
            stacklevel=4,
        )
        y = y.ravel()

    # The blocks stay on the workers: persisted once, referenced by every task.
    X, y = dask.persist(X, y)
    X_blocks = X.to_delayed().ravel()
    y_blocks = y.to_delayed().ravel()
    sw_blocks = sw.to_delayed().ravel() if sw is not None else [None] * len(X_blocks)
    summary = None
    if targets.needs_summary:
        summary = targets.combine(
            dask.compute(
                *[
                    dask.delayed(_summarize_block)(targets, y_b, sw_b)
                    for y_b, sw_b in zip(y_blocks, sw_blocks, strict=True)
                ]
            )
        )
    targets.fit(summary)
    encoded = dask.persist(
        *[
            dask.delayed(_encode_block)(targets, y_b, sw_b, X.dtype)
            for y_b, sw_b in zip(y_blocks, sw_blocks, strict=True)
        ]
    )
    n_classes = max(targets.n_outputs, 2)
    checked = dask.compute(
        *[
            dask.delayed(_check_block)(X_b, e, n_classes, estimator_name)
            for X_b, e in zip(X_blocks, encoded, strict=True)
        ]
    )
    data = _BlockData(X, X_blocks, encoded, checked)
    targets.check_total_weight(data.sw_sum)
    return fit_path(
        loss,
        data,
        Cs,
        n_outputs=targets.n_outputs,
        fit_intercept=fit_intercept,
        **solver,
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
