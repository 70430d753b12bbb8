"""What all the estimators share: validation, the fit path, prediction.

A multiclass estimator chooses only its loss (``_make_loss``, a loss
instance of :mod:`.losses` built from the estimator's parameters). How ``y`` becomes
targets is a target encoder of :mod:`._targets` (``_make_targets``); the
multilabel estimators choose label sets there and store the extra null
outcome (``_set_coef``, ``_stacked_coef``). In memory and on dask the fit is
one sequence: validate, encode the targets, run the solver path, then
:meth:`_set_fitted` sets every fitted attribute.
"""

import copy
import functools
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import InconsistentVersionWarning
from sklearn.utils.validation import check_is_fitted, validate_data

from ._objective import linear_logits
from ._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    validate_parameter_constraints,
)
from ._solver import InMemoryData, fit_path
from ._targets import ClassTargets, check_sample_weight
from ._version import __version__

__all__ = ["BaseLinearDistributionClassifier", "dask_dispatch", "is_dask_collection"]


def is_dask_collection(obj):
    """Whether ``obj`` is a dask collection, without importing dask."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr")


def _columns_view(X):
    """What ``validate_data(..., skip_check_array=True)`` reads names and the
    number of features from: for a dask DataFrame its empty pandas ``_meta``
    (same columns; scikit-learn does not take lazy frames as frames)."""
    meta = getattr(X, "_meta", None)
    return meta if hasattr(meta, "columns") else X


def _block_estimator(estimator):
    """``estimator`` for row blocks of a collection whose feature names were
    checked once at the edge: a shallow copy without ``feature_names_in_``."""
    if not hasattr(estimator, "feature_names_in_"):
        return estimator
    block_estimator = copy.copy(estimator)
    del block_estimator.feature_names_in_
    return block_estimator


def dask_dispatch(method):
    """Prediction method decorator: a dask ``X`` gives a lazy dask array,
    ``method`` mapped over its row blocks; any other ``X`` goes to ``method``.

    Fitted state, the number of features and the feature names are checked
    once, on the collection.
    """

    @functools.wraps(method)
    def dispatch(self, X):
        if not is_dask_collection(X):
            return method(self, X)
        check_is_fitted(self)
        validate_data(self, _columns_view(X), skip_check_array=True, reset=False)
        from ._dask import map_blocks

        return map_blocks(getattr(_block_estimator(self), method.__name__), X)

    return dispatch


def _shape(y):
    """Shape of ``y`` without converting a dask or sparse ``y``."""
    if hasattr(y, "shape"):
        return tuple(y.shape)
    try:
        return np.asarray(y).shape
    except ValueError as error:  # ragged lists: label sets given as lists
        raise ValueError(
            "y must be an array of labels or a label indicator matrix; got "
            "sequences of different lengths. For lists of labels per sample, "
            "use sklearn.preprocessing.MultiLabelBinarizer."
        ) from error


class BaseLinearDistributionClassifier(ClassifierMixin, BaseEstimator):
    """Linear classifier whose probabilities are ``mapping(logits / T)``.

    Subclasses define ``_make_loss()``: the loss of :mod:`sklearn_softmax.losses`
    that this estimator's parameters (``alpha``) give.
    """

    def _make_loss(self):
        raise NotImplementedError

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="right")],
        "fit_intercept": ["boolean"],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        C=1.0,
        fit_intercept=True,
        temperature=1.0,
        class_weight=None,
        max_iter=100,
        tol=1e-4,
        warm_start=False,
        verbose=0,
    ):
        self.C = C
        self.fit_intercept = fit_intercept
        self.temperature = temperature
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, classes=None):
        """Fit the model by L-BFGS on the L2-regularized loss.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Sparse data is used as CSR, never densified.
        y : array-like of shape (n_samples,)
            Class labels. For label sets (a 2-D indicator ``y``), use the
            multilabel estimators.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; weight ``k`` is the same as repeating a
            sample ``k`` times. Multiplied by ``class_weight`` when given.
        classes : array-like of shape (n_classes,), default=None
            All class labels, when known up front; every label of ``y`` must be
            among them. Saves a pass over a dask ``y``; a class absent from
            ``y`` gets a logit that the fit pushes down.

        Returns
        -------
        self : object
            The fitted estimator.

        Notes
        -----
        ``X`` (and ``y``, ``sample_weight``) may be dask arrays: the fit then
        runs block by block on the dask workers and only coefficients and
        gradient sums travel (see the "Scaling out" page of the docs).
        """
        return self._fit(X, y, sample_weight, classes)

    def _fit(self, X, y, sample_weight, classes=None):
        targets, solutions = self._fit_path(X, y, sample_weight, classes, [self.C])
        return self._set_fitted(targets, *solutions[0])

    def _fit_path(self, X, y, sample_weight, classes, Cs):
        """Validate, encode the targets and fit one model per C, warm-started.

        The one fit path of the package: ``fit`` is a path of one ``C``, the
        CV estimators run one per fold, and a dask ``X`` runs the same steps
        block by block (:func:`._dask.fit_dask`). Sets ``n_features_in_`` and
        ``feature_names_in_`` (by ``validate_data``); returns the fitted
        target encoder and ``[(coef, intercept, n_iter), ...]``.
        """
        targets = self._make_targets(_shape(y), classes)
        solver = dict(
            fit_intercept=self.fit_intercept,
            max_iter=self.max_iter,
            tol=self.tol,
            verbose=self.verbose,
            init=self._warm_start_coef(),
        )
        if is_dask_collection(X):
            from ._dask import fit_dask

            validate_data(self, _columns_view(X), skip_check_array=True)
            return targets, fit_dask(
                self._make_loss(),
                targets,
                X,
                y,
                sample_weight,
                Cs,
                estimator_name=type(self).__name__,
                **solver,
            )

        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            order="C",
            multi_output=not isinstance(targets, ClassTargets),
        )
        sample_weight = check_sample_weight(sample_weight, X.shape[0])
        targets.fit(targets.summarize(y, sample_weight))
        Q, sample_weight = targets.encode(y, sample_weight, X.dtype)
        targets.check_total_weight(np.sum(sample_weight))
        return targets, fit_path(
            self._make_loss(),
            InMemoryData(X, Q, sample_weight),
            Cs,
            n_outputs=targets.n_outputs,
            **solver,
        )

    def _set_fitted(self, targets, coef, intercept, n_iter):
        """Every fitted attribute but the input's, from one solution of the path."""
        for name, value in {**self._target_defaults, **targets.state()}.items():
            setattr(self, name, value)
        self._set_coef(coef, intercept)
        # An array of one, as LogisticRegression's (code indexes n_iter_[0]).
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        return self

    def _warm_start_coef(self):
        """``(coef, intercept)`` to start from with ``warm_start``, else None."""
        if self.warm_start and hasattr(self, "coef_"):
            return self._stacked_coef()
        return None

    # Hooks that the multilabel estimators override.

    _target_defaults = {}

    def _make_targets(self, y_shape, classes):
        """The target encoder for a ``y`` of this shape."""
        if len(y_shape) == 2 and y_shape[1] > 1:
            raise ValueError(
                f"{type(self).__name__} takes one label per sample (a 1-D y); got a "
                f"2-D y of shape {y_shape}. For label sets (an indicator matrix) use "
                f"Multilabel{type(self).__name__}."
            )
        return ClassTargets(self.class_weight, classes)

    def _set_coef(self, coef, intercept):
        self.coef_, self.intercept_ = coef, intercept

    def _stacked_coef(self):
        """Coefficients and intercepts of every logit of the fitted model."""
        return self.coef_, self.intercept_

    @dask_dispatch
    def decision_function(self, X):
        """Return the logits of the linear model, before the temperature.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            ``X @ coef_.T + intercept_``. For two classes a 1-D array, the logit
            of ``classes_[1]`` minus that of ``classes_[0]``: positive means
            ``classes_[1]``.
        """
        check_is_fitted(self)
        X = validate_data(
            self, X, accept_sparse="csr", dtype=[np.float64, np.float32], reset=False
        )
        scores = X @ self.coef_.T
        scores += self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def _logits(self, X):
        """Logits of every class, ``(n_samples, n_classes)``."""
        check_is_fitted(self)
        X = validate_data(
            self, X, accept_sparse="csr", dtype=[np.float64, np.float32], reset=False
        )
        coef, intercept = self._stacked_coef()
        return linear_logits(X, coef.T, intercept)

    @dask_dispatch
    def predict(self, X):
        """Predict the class with the largest logit (the mode of ``predict_proba``).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels; the temperature does not change them.
        """
        Z = self._logits(X)
        return self.classes_[np.argmax(Z, axis=1)]

    @dask_dispatch
    def predict_proba(self, X):
        """Return the class probabilities ``mapping(logits / temperature)``.

        ``temperature`` is read at call time: changing it with ``set_params``
        takes effect without refitting.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        P : ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns follow ``classes_``.
        """
        Z = self._logits(X)  # checks that the model is fitted first
        temperature = self._prediction_temperature()
        P = self._make_loss().predict_proba(Z, temperature=temperature)
        return P[:, : len(self.classes_)]

    @dask_dispatch
    def predict_log_proba(self, X):
        """Return the logarithm of :meth:`predict_proba` (``-inf`` at exact zeros).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_P : ndarray of shape (n_samples, n_classes)
            Log-probabilities; for softmax the exact ``log_softmax``, finite
            even where :meth:`predict_proba` rounds to 0.
        """
        Z = self._logits(X)
        log_P = self._make_loss().predict_log_proba(
            Z, temperature=self._prediction_temperature()
        )
        return log_P[:, : len(self.classes_)]

    def _prediction_temperature(self):
        """The temperature that predictions use (a CV estimator: the chosen one)."""
        self._check_prediction_params("temperature")
        return self.temperature

    def _check_prediction_params(self, *names):
        """Prediction-time parameters, validated at each call with the
        constraints of fit: ``set_params`` after a fit validates nothing."""
        validate_parameter_constraints(
            {name: self._parameter_constraints[name] for name in names},
            {name: getattr(self, name) for name in names},
            caller_name=type(self).__name__,
        )

    def __getstate__(self):
        state = super().__getstate__()
        state["_sklearn_softmax_version"] = __version__
        return state

    def __setstate__(self, state):
        version = state.pop("_sklearn_softmax_version", "unknown")
        if version != __version__:
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=f"{type(self).__name__} (sklearn-softmax)",
                    current_sklearn_version=__version__,
                    original_sklearn_version=version,
                ),
                stacklevel=2,
            )
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
