"""Model selection built in: ``*RegressionCV`` estimators.

For each fold, one regularization path over ``Cs`` (from the strongest
penalty to the weakest, each fit warm-started from the previous solution,
:meth:`_fit_path` as every fit), and every prediction-time setting
(temperature, threshold) scored on the same fold models without refitting.
The choice is ``GridSearchCV``'s over ``{"C", "temperature"[, "threshold"]}``:
the best mean score, ties to the first in ``ParameterGrid`` order.
"""

import copy
import inspect
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils.validation import validate_data

from ._base import BaseLinearDistributionClassifier, _shape, is_dask_collection
from ._docstrings import fill
from ._multilabel import _BaseMultilabel
from ._sklearn_compat import Interval, StrOptions, _fit_context
from ._targets import check_sample_weight
from .losses import SoftmaxLoss, SparsemaxLoss

__all__ = [
    "MultilabelSoftmaxRegressionCV",
    "MultilabelSparsemaxRegressionCV",
    "SoftmaxRegressionCV",
    "SparsemaxRegressionCV",
]


def _check_values(values, name, *, low, high=np.inf, closed="neither"):
    """A non-empty list of reals in an interval, as a float array."""
    array = np.asarray(values, dtype=float).ravel() if np.ndim(values) else None
    if array is None or array.size == 0:
        raise ValueError(f"{name} must be a non-empty list of numbers, got {values!r}.")
    above = array >= low if closed in ("left", "both") else array > low
    below = array <= high if closed in ("right", "both") else array < high
    if not np.all(above & below):  # NaN fails both
        bounds = (
            ("[" if closed in ("left", "both") else "(")
            + f"{low}, {high}"
            + ("]" if closed in ("right", "both") else ")")
        )
        raise ValueError(f"Every value of {name} must be in {bounds}, got {values!r}.")
    return array


def _accepts_sample_weight(scorer):
    parameters = inspect.signature(scorer).parameters.values()
    return any(
        p.name == "sample_weight" or p.kind is inspect.Parameter.VAR_KEYWORD
        for p in parameters
    )


def _fold_scores(estimator, X, y, sample_weight, train, test, Cs, settings, scorer):
    """Scores of one fold: the path over ``Cs``, every setting on each model.

    Returns scores of shape ``(len(Cs), len(settings))`` and the iterations.
    """
    fold = clone(estimator)
    classes = getattr(estimator, "_cv_classes", None)
    targets, solutions = fold._fit_path(
        X[train], y[train], sample_weight[train], classes, Cs
    )
    # The validation part is taken once, not at each of the
    # len(Cs) x len(settings) scorer calls.
    X_test, y_test = X[test], y[test]
    score_weights = {}
    if _accepts_sample_weight(scorer):
        score_weights["sample_weight"] = sample_weight[test]
    scores = np.empty((len(Cs), len(settings)))
    for i, solution in enumerate(solutions):
        model = copy.copy(fold)._set_fitted(targets, *solution)
        for j, setting in enumerate(settings):
            for name, value in setting.items():
                setattr(model, f"{name}_", value)
            scores[i, j] = scorer(model, X_test, y_test, **score_weights)
    return scores, [solution[2] for solution in solutions]


class _RegressionCVMixin:
    """``fit`` of the CV estimators; the rest is the base estimator's."""

    _search_constraints = {
        "Cs": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "temperatures": ["array-like"],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
    }

    def _grid(self):
        """``{"C": ..., "temperature": ...[, "threshold": ...]}``, checked."""
        if isinstance(self.Cs, Integral):
            Cs = np.logspace(-4, 4, self.Cs)
        else:
            Cs = _check_values(self.Cs, "Cs", low=0, closed="right")
        grid = {
            "C": Cs,
            "temperature": _check_values(self.temperatures, "temperatures", low=0),
        }
        if not np.all(np.isfinite(grid["temperature"])):
            raise ValueError(f"temperatures must be finite, got {self.temperatures!r}.")
        return grid

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, groups=None):
        """Choose C and the prediction-time setting by cross-validation; refit.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels (or a label indicator matrix for the multilabel
            estimators).
        sample_weight : array-like of shape (n_samples,), default=None
            Used in every fold's fit and the refit; passed to the scorer on the
            validation part when the scorer takes ``sample_weight``.
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group splitter given as ``cv``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if is_dask_collection(X):
            raise TypeError(
                f"{type(self).__name__} takes in-memory data; fit the base estimator "
                "on dask arrays, or search with GridSearchCV and joblib's dask backend."
            )
        grid = self._grid()
        y_shape = _shape(y)
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            order="C",
            multi_output=len(y_shape) == 2 and y_shape[1] > 1,
        )
        sample_weight = check_sample_weight(sample_weight, X.shape[0])
        cv = check_cv(self.cv, y, classifier=True)
        folds = list(cv.split(X, y, groups))
        scoring = self._default_scoring() if self.scoring is None else self.scoring
        scorer = check_scoring(self, scoring=scoring)

        # One label per sample: every fold model has the classes of all of y
        # (a class missing from a fold's training part gets a logit that the
        # fit pushes down), as in LogisticRegressionCV.
        estimator = clone(self)
        if y.ndim == 1:
            estimator._cv_classes = np.unique(y)
        order = np.argsort(grid["C"], kind="stable")  # strongest penalty first
        keys = sorted(grid)[1:]  # ParameterGrid's order: sorted names
        settings = [
            dict(zip(keys, values, strict=True))
            for values in np.array(
                np.meshgrid(*[grid[k] for k in keys], indexing="ij"), dtype=object
            )
            .reshape(len(keys), -1)
            .T
        ]
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_fold_scores)(
                estimator,
                X,
                y,
                sample_weight,
                train,
                test,
                grid["C"][order],
                settings,
                scorer,
            )
            for train, test in folds
        )
        scores = np.empty((len(folds), len(grid["C"]), len(settings)))
        n_iter = np.empty((len(folds), len(grid["C"])), dtype=np.int32)
        for k, (fold_scores, fold_iter) in enumerate(results):
            scores[k, order], n_iter[k, order] = fold_scores, fold_iter

        self._set_search_results(grid, keys, settings, scores)
        self.n_iter_ = n_iter
        self.Cs_ = grid["C"]
        if self.refit:
            targets, solutions = self._fit_path(X, y, sample_weight, None, [self.C_])
            self._set_fitted(targets, *solutions[0])
            self.n_iter_ = n_iter  # _set_fitted set the refit's; keep the CV's
        return self

    def _set_search_results(self, grid, keys, settings, scores):
        """``scores_``, ``cv_results_`` (GridSearchCV's format and ranking)
        and the chosen setting."""
        n_folds = scores.shape[0]
        shape = (n_folds, len(grid["C"])) + tuple(len(grid[k]) for k in keys)
        self.scores_ = scores.reshape(shape)
        per_candidate = scores.reshape(n_folds, -1).T  # (n_candidates, n_folds)
        params = [{"C": C, **setting} for C in grid["C"] for setting in settings]
        means = np.average(per_candidate, axis=1)
        stds = np.sqrt(np.average((per_candidate - means[:, None]) ** 2, axis=1))
        ranked = means
        if np.isnan(means).any():  # GridSearchCV ranks NaN scores last
            ranked = np.nan_to_num(means, nan=np.nanmin(means) - 1)
        rank = rankdata(-ranked, method="min").astype(np.int32)
        results = {}
        for name in ["C", *keys]:
            values = [p[name] for p in params]
            kind = object if name == "threshold" else float
            results[f"param_{name}"] = np.ma.MaskedArray(
                np.array(values, dtype=kind), mask=False
            )
        results["params"] = params
        for k in range(n_folds):
            results[f"split{k}_test_score"] = per_candidate[:, k]
        results.update(mean_test_score=means, std_test_score=stds, rank_test_score=rank)
        self.cv_results_ = results
        self.best_index_ = int(rank.argmin())
        self.best_score_ = float(means[self.best_index_])
        best = params[self.best_index_]
        self.C_ = float(best["C"])
        self.temperature_ = float(best["temperature"])
        if "threshold" in best:
            self.threshold_ = best["threshold"]

    def _prediction_temperature(self):
        return self.temperature_

    def _prediction_threshold(self):
        return self.threshold_

    def __sklearn_is_fitted__(self):
        return hasattr(self, "coef_")


_CV_DOC = r"""{summary}

    Cross-validation over ``C`` (a warm-started regularization path per fold)
    and over the prediction-time parameters, which are scored on the same
    fold models without refitting. For each ``C`` the coefficients minimize
    the objective of :class:`{base}`

    .. math::

        \frac{{1}}{{s_{{sum}}}} \sum_{{i=1}}^{{n}} s_i L(x_i W + b; q_i)
        + \frac{{1}}{{2 C s_{{sum}}}} \|W\|_F^2

    with ``L`` the {loss}. The setting with the best mean score over the
    folds is chosen as ``GridSearchCV`` over ``{grid}`` would choose it (ties
    to the first in ``ParameterGrid`` order), and the model is refitted on
    all the data with the chosen ``C``.

    Parameters
    ----------
    Cs : int or array-like of float, default=10
        Values of ``C``; an int ``n`` gives ``np.logspace(-4, 4, n)``, as in
        ``LogisticRegressionCV``. ``np.inf`` (no penalty) is allowed.
    temperatures : array-like of float, default=(1.0,)
        Positive finite temperatures to score, e.g. ``[0.25, 0.5, 1, 2, 4]``.
{extra_parameters}    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept.
    cv : int, cross-validation generator or iterable, default=None
        As in ``GridSearchCV``: None is 5-fold (stratified for one label per
        sample); a group splitter gets ``groups`` from :meth:`fit`.
    scoring : str or callable, default=None
        A scikit-learn scorer name or callable; None is {default_scoring}. A
        scorer that takes ``sample_weight`` gets the validation weights.
    refit : bool, default=True
        Refit on all the data with the chosen ``C``; without it only the
        scores and the chosen setting are kept (no prediction).
    n_jobs : int, default=None
        Folds fitted in parallel (joblib).
    <<{solver_block}>>

    Attributes
    ----------
    C_ : float
        The chosen ``C``.
    temperature_ : float
        The chosen temperature, used by every prediction method.
{extra_attributes}    Cs_ : ndarray of shape (n_Cs,)
        The values of ``C`` searched.
    scores_ : ndarray of shape {scores_shape}
        Score of each fold, ``C`` and setting.
    cv_results_ : dict of ndarray
        ``GridSearchCV``'s format: ``params``, ``param_*``,
        ``split{{k}}_test_score``, ``mean_test_score``, ``std_test_score``
        and ``rank_test_score``; ``pandas.DataFrame(cv_results_)`` works.
    best_index_ : int
        Index of the chosen setting in ``cv_results_``.
    best_score_ : float
        Its mean score over the folds.
    n_iter_ : ndarray of shape (n_folds, n_Cs)
        L-BFGS iterations of each fold's fit at each ``C``.
    classes_ : ndarray of shape (n_classes,)
        Class labels (after the refit).
    coef_ : ndarray
        Coefficients of the refitted model, as in :class:`{base}`.
    intercept_ : ndarray
        Its intercepts.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    {base} : The estimator fitted at one setting.
    sklearn.linear_model.LogisticRegressionCV : The same idea for ``C``.

    Examples
    --------
{example}"""


class _MulticlassCV(_RegressionCVMixin, BaseLinearDistributionClassifier):
    _parameter_constraints = {
        **{
            k: v
            for k, v in BaseLinearDistributionClassifier._parameter_constraints.items()
            if k not in ("C", "temperature")
        },
        **_RegressionCVMixin._search_constraints,
    }

    def __init__(
        self,
        *,
        Cs=10,
        temperatures=(1.0,),
        class_weight=None,
        fit_intercept=True,
        cv=None,
        scoring=None,
        refit=True,
        n_jobs=None,
        max_iter=100,
        tol=1e-4,
        warm_start=False,
        verbose=0,
    ):
        self.Cs = Cs
        self.temperatures = temperatures
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.n_jobs = n_jobs
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.verbose = verbose

    @staticmethod
    def _default_scoring():
        return "accuracy"


class _MultilabelCV(_RegressionCVMixin, _BaseMultilabel):
    _parameter_constraints = {
        **{
            k: v
            for k, v in _BaseMultilabel._parameter_constraints.items()
            if k not in ("C", "temperature", "threshold")
        },
        **_RegressionCVMixin._search_constraints,
        "thresholds": [StrOptions({"auto"}), "array-like"],
    }

    def __init__(
        self,
        *,
        Cs=10,
        temperatures=(1.0,),
        thresholds="auto",
        null_outcome="auto",
        weighting="sample",
        fit_intercept=True,
        cv=None,
        scoring=None,
        refit=True,
        n_jobs=None,
        max_iter=500,
        tol=1e-4,
        warm_start=False,
        verbose=0,
    ):
        self.Cs = Cs
        self.temperatures = temperatures
        self.thresholds = thresholds
        self.null_outcome = null_outcome
        self.weighting = weighting
        self.fit_intercept = fit_intercept
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.n_jobs = n_jobs
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.verbose = verbose

    def _grid(self):
        grid = super()._grid()
        if isinstance(self.thresholds, str):
            grid["threshold"] = np.array(["auto"], dtype=object)
        else:
            grid["threshold"] = _check_values(
                self.thresholds, "thresholds", low=0, high=1, closed="both"
            ).astype(object)
        return grid

    @staticmethod
    def _default_scoring():
        return "f1_micro"


_MULTICLASS_EXTRA = """\
    class_weight : dict or "balanced", default=None
        As in the base estimator, in every fold's fit (a class absent from a
        fold's training part has no weight there: "balanced" then raises).
"""
_MULTILABEL_EXTRA = """\
    thresholds : array-like of float in [0, 1] or "auto", default="auto"
        Thresholds to score; "auto" is the base estimator's rule.
    null_outcome : bool or "auto", default="auto"
        As in the base estimator.
    weighting : {"sample", "label"}, default="sample"
        As in the base estimator.
"""
_THRESHOLD_ATTRIBUTE = """\
    threshold_ : float or "auto"
        The chosen threshold.
"""


def _cv_doc(summary, base, loss, multilabel, example):
    return _CV_DOC.format(
        summary=summary,
        base=base,
        loss=loss,
        grid=(
            '{"C": Cs, "temperature": temperatures, "threshold": thresholds}'
            if multilabel
            else '{"C": Cs, "temperature": temperatures}'
        ),
        extra_parameters=_MULTILABEL_EXTRA if multilabel else _MULTICLASS_EXTRA,
        default_scoring="micro-F1" if multilabel else "accuracy",
        extra_attributes=_THRESHOLD_ATTRIBUTE if multilabel else "",
        scores_shape=(
            "(n_folds, n_Cs, n_temperatures, n_thresholds)"
            if multilabel
            else "(n_folds, n_Cs, n_temperatures)"
        ),
        example=example,
        solver_block="multilabel solver parameters"
        if multilabel
        else "solver parameters",
    )


@fill
class SoftmaxRegressionCV(_MulticlassCV):
    __doc__ = _cv_doc(
        "Softmax regression with C and temperature chosen by cross-validation.",
        "SoftmaxRegression",
        "cross-entropy of the softmax",
        False,
        """\
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_softmax import SoftmaxRegressionCV
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = SoftmaxRegressionCV(Cs=[0.1, 1, 10], temperatures=[0.5, 1, 2],
    ...                           scoring="neg_log_loss", tol=1e-6,
    ...                           max_iter=1000).fit(X, y)
    >>> clf.C_, clf.temperature_
    (10.0, 0.5)
    >>> clf.scores_.shape
    (5, 3, 3)
    >>> clf.predict(X[:2])
    array([0, 0])
""",
    )
    _loss = SoftmaxLoss()


@fill
class SparsemaxRegressionCV(_MulticlassCV):
    __doc__ = _cv_doc(
        "Sparsemax regression with C and temperature chosen by cross-validation.",
        "SparsemaxRegression",
        "sparsemax loss",
        False,
        """\
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_softmax import SparsemaxRegressionCV
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = SparsemaxRegressionCV(Cs=[0.1, 1, 10], tol=1e-6,
    ...                             max_iter=1000).fit(X, y)
    >>> clf.C_
    1.0
    >>> clf.predict_proba(X[:1])
    array([[1., 0., 0.]])
""",
    )
    _loss = SparsemaxLoss()


@fill
class MultilabelSoftmaxRegressionCV(_MultilabelCV):
    __doc__ = _cv_doc(
        "Multilabel softmax regression with C, temperature and threshold chosen by CV.",
        "MultilabelSoftmaxRegression",
        "cross-entropy of the softmax on label proportions",
        True,
        """\
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn_softmax import MultilabelSoftmaxRegressionCV
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = MultilabelSoftmaxRegressionCV(
    ...     Cs=[0.01, 0.1, 1], thresholds=[0.1, 0.2, 0.3], tol=1e-6, max_iter=1000
    ... ).fit(X, Y)
    >>> clf.C_, clf.threshold_
    (0.1, 0.1)
    >>> clf.scores_.shape
    (5, 3, 1, 3)
""",
    )
    _loss = SoftmaxLoss()

    def _auto_threshold(self):
        return 1.0 / len(self.classes_)


@fill
class MultilabelSparsemaxRegressionCV(_MultilabelCV):
    __doc__ = _cv_doc(
        "Multilabel sparsemax regression with C, temperature and threshold chosen "
        "by CV.",
        "MultilabelSparsemaxRegression",
        "sparsemax loss on label proportions",
        True,
        """\
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn_softmax import MultilabelSparsemaxRegressionCV
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = MultilabelSparsemaxRegressionCV(
    ...     Cs=[0.01, 0.1, 1], temperatures=[0.5, 1, 2], tol=1e-6, max_iter=1000
    ... ).fit(X, Y)
    >>> clf.C_, clf.temperature_
    (0.1, 0.5)
""",
    )
    _loss = SparsemaxLoss()

    def _auto_threshold(self):
        return 0.0
