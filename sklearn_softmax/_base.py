"""What all the estimators share: validation, fit, predict.

A multiclass estimator chooses only its loss (``_loss``). The multilabel
estimators also override the hooks that turn ``y`` into target distributions
(``_validate_training_data``, ``_encode_targets``) and store the extra null
outcome (``_set_coef``, ``_stacked_coef``).
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._objective import linear_logits
from ._sklearn_compat import Interval, StrOptions, _fit_context, compute_class_weight
from ._solver import fit_linear_model

__all__ = ["BaseLinearDistributionClassifier"]


def _is_dask_collection(obj):
    """Whether ``obj`` is a dask collection, without importing dask."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr")


def _dask_map_blocks(method, X):
    """``method`` applied lazily to each block of rows of a dask ``X``."""
    from ._dask import map_blocks

    return map_blocks(method, X)


def _check_sample_weight(sample_weight, n_samples, *, positive_sum=True):
    """Sample weights as float64: ones when None; finite, >= 0, positive sum.

    ``positive_sum=False`` for one block of a distributed fit, where only the
    total over all blocks must be positive.
    """
    if sample_weight is None:
        return np.ones(n_samples)
    sample_weight = check_array(
        sample_weight, ensure_2d=False, dtype=np.float64, input_name="sample_weight"
    )
    if sample_weight.ndim != 1:
        raise ValueError(
            f"sample_weight must be 1-D, got an array of shape {sample_weight.shape}."
        )
    check_consistent_length(np.empty(n_samples), sample_weight)
    if np.any(sample_weight < 0):
        raise ValueError("sample_weight must be non-negative.")
    if positive_sum and not np.sum(sample_weight) > 0:
        raise ValueError("sample_weight must have a positive sum; got all zeros.")
    return sample_weight


def class_indices(y, classes):
    """Index of each label of ``y`` in the sorted ``classes``; unknown ones raise."""
    y_encoded = np.searchsorted(classes, y)
    unknown = (y_encoded >= len(classes)) | (
        classes[np.minimum(y_encoded, len(classes) - 1)] != y
    )
    if np.any(unknown):
        examples = np.unique(np.asarray(y)[unknown])[:5]
        raise ValueError(f"y contains labels not in classes: {examples}.")
    return y_encoded


def check_classes(classes):
    """``classes`` given up front: sorted, unique, at least two."""
    classes = np.unique(np.asarray(classes))
    if len(classes) < 2:
        raise ValueError(
            "This solver needs samples of at least 2 classes in the data, but the "
            f"data contains only one class: {classes[0]!r}."
        )
    return classes


def _class_targets(y, sample_weight, class_weight, classes=None):
    """Classes, class indices (one-hot targets) and class-weighted sample weights."""
    check_classification_targets(y)
    if classes is None:
        classes, y_encoded = np.unique(y, return_inverse=True)
        classes = check_classes(classes)
    else:
        classes = check_classes(classes)
        y_encoded = class_indices(y, classes)
    if class_weight is not None:
        weights = compute_class_weight(
            class_weight, classes=classes, y=y, sample_weight=sample_weight
        )
        sample_weight = sample_weight * weights[y_encoded]
        if not np.sum(sample_weight) > 0:
            raise ValueError("class_weight and sample_weight leave no positive weight.")
    return classes, y_encoded, sample_weight


class BaseLinearDistributionClassifier(ClassifierMixin, BaseEstimator):
    """Linear classifier whose probabilities are ``mapping(logits / T)``.

    Subclasses set ``_loss`` (a loss of :mod:`sklearn_softmax.losses`).
    """

    _loss = None

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="neither")],
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
        if _is_dask_collection(X):
            from ._dask import fit_dask

            coef, intercept, self.n_iter_ = fit_dask(self, X, y, sample_weight, classes)
            self._set_coef(coef, intercept)
            return self

        X, y = self._validate_training_data(X, y)
        sample_weight = _check_sample_weight(sample_weight, X.shape[0])
        Q, sample_weight, n_outputs = self._encode_targets(X, y, sample_weight, classes)

        coef, intercept, self.n_iter_ = fit_linear_model(
            self._loss,
            X,
            Q,
            sample_weight,
            C=self.C,
            fit_intercept=self.fit_intercept,
            n_outputs=n_outputs,
            max_iter=self.max_iter,
            tol=self.tol,
            verbose=self.verbose,
            init=self._warm_start_init(n_outputs, X.shape[1]),
        )
        self._set_coef(coef, intercept)
        return self

    def _warm_start_init(self, n_outputs, n_features):
        """``(coef, intercept)`` to start from with ``warm_start``, else None."""
        if self.warm_start and hasattr(self, "coef_"):
            coef, intercept = self._stacked_coef()
            if coef.shape == (n_outputs, n_features):
                return coef, intercept
        return None

    # Hooks that the multilabel estimators override.

    def _validate_training_data(self, X, y):
        y_shape = y.shape if hasattr(y, "shape") else np.asarray(y).shape
        if len(y_shape) == 2 and y_shape[1] > 1:
            raise ValueError(
                f"{type(self).__name__} takes one label per sample (a 1-D y); got a "
                f"2-D y of shape {y_shape}. For label sets (an indicator matrix) use "
                f"Multilabel{type(self).__name__}."
            )
        return validate_data(
            self, X, y, accept_sparse="csr", dtype=[np.float64, np.float32], order="C"
        )

    def _encode_targets(self, X, y, sample_weight, classes=None):
        """Set ``classes_``; return ``(Q, sample_weight, n_outputs)``."""
        self.classes_, Q, sample_weight = _class_targets(
            y, sample_weight, self.class_weight, classes
        )
        n_outputs = 1 if len(self.classes_) == 2 else len(self.classes_)
        return Q, sample_weight, n_outputs

    def _set_coef(self, coef, intercept):
        self.coef_, self.intercept_ = coef, intercept

    def _stacked_coef(self):
        """Coefficients and intercepts of every logit of the fitted model."""
        return self.coef_, self.intercept_

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
        if _is_dask_collection(X):
            return _dask_map_blocks(self.decision_function, X)
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
        if _is_dask_collection(X):
            check_is_fitted(self)
            return _dask_map_blocks(self.predict, X)
        Z = self._logits(X)
        return self.classes_[np.argmax(Z, axis=1)]

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
        if _is_dask_collection(X):
            check_is_fitted(self)
            return _dask_map_blocks(self.predict_proba, X)
        P = self._loss.predict_proba(self._logits(X), temperature=self.temperature)
        return P[:, : len(self.classes_)]

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
        if _is_dask_collection(X):
            check_is_fitted(self)
            return _dask_map_blocks(self.predict_log_proba, X)
        log_P = self._loss.predict_log_proba(
            self._logits(X), temperature=self.temperature
        )
        return log_P[:, : len(self.classes_)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
