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
import itertools
import time
import warnings
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import ParameterGrid, check_cv
from sklearn.utils.validation import validate_data

from ._base import BaseLinearDistributionClassifier, _shape, is_dask_collection
from ._docstrings import fill
from ._multilabel import _BaseMultilabel
from ._sklearn_compat import Interval, StrOptions, _fit_context
from ._targets import ClassTargets, LabelSetTargets, check_sample_weight
from .losses import EntmaxLoss, SoftmaxLoss, SparsemaxLoss

__all__ = [
    "EntmaxRegressionCV",
    "MultilabelEntmaxRegressionCV",
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


def _plain(value):
    """A grid value as the user wrote it: a Python float, not a NumPy scalar."""
    return value.item() if isinstance(value, np.generic) else value


def _accepts_sample_weight(scorer):
    parameters = inspect.signature(scorer).parameters.values()
    return any(
        p.name == "sample_weight" or p.kind is inspect.Parameter.VAR_KEYWORD
        for p in parameters
    )


def _fold_path(estimator, X, y, sample_weight, train, test, training, Cs, settings,
               scorer):
    """One fold at one training setting (``alpha``): the path over ``Cs``, and
    every prediction-time setting scored on each model.

    Returns a dict: ``scores`` ``{metric: (len(Cs), len(settings))}``,
    ``fit_time`` and ``n_iter`` per C, ``score_time`` per C and setting, and
    the ``solutions`` ``(coef, intercept, n_iter)``.
    """
    fold = clone(estimator)
    for name, value in training.items():
        setattr(fold, f"{name}_", value)
    classes = getattr(estimator, "_cv_classes", None)
    start = time.perf_counter()
    targets, solutions = fold._fit_path(
        X[train], y[train], sample_weight[train], classes, Cs
    )
    fit_time = (time.perf_counter() - start) / len(Cs)
    # The validation part is taken once, not at each of the
    # len(Cs) x len(settings) scorer calls.
    X_test, y_test = X[test], y[test]
    score_weights = {}
    if _accepts_sample_weight(scorer):
        score_weights["sample_weight"] = sample_weight[test]
    scores = {}
    score_time = np.empty((len(Cs), len(settings)))
    for i, solution in enumerate(solutions):
        model = copy.copy(fold)._set_fitted(targets, *solution)
        for j, setting in enumerate(settings):
            for name, value in setting.items():
                setattr(model, f"{name}_", value)
            start = time.perf_counter()
            result = scorer(model, X_test, y_test, **score_weights)
            score_time[i, j] = time.perf_counter() - start
            if not isinstance(result, dict):
                result = {"score": result}
            for metric, value in result.items():
                scores.setdefault(metric, np.empty((len(Cs), len(settings))))
                scores[metric][i, j] = value
    return {
        "scores": scores,
        "fit_time": np.full(len(Cs), fit_time),
        "score_time": score_time,
        "n_iter": [solution[2] for solution in solutions],
        "solutions": solutions,
        "targets": targets,
    }


def _balanced_class_weight(y, sample_weight):
    """``class_weight="balanced"`` of the whole ``y`` (classes, or labels of
    an indicator ``y``), as a dict: every fold fits with the weights of all
    the data (as ``LogisticRegressionCV``), not with those of its own
    training part."""
    if y.ndim == 2:
        targets = LabelSetTargets(class_weight="balanced")
        with warnings.catch_warnings():  # constant labels: the fit warns
            warnings.simplefilter("ignore", UserWarning)
            targets.fit(targets.summarize(y, sample_weight))
    else:
        targets = ClassTargets("balanced")
        targets.fit(targets.summarize(y, sample_weight))
    return dict(zip(targets.classes_.tolist(), targets.class_weights_, strict=True))


class _RegressionCVMixin:
    """``fit`` of the CV estimators; the rest is the base estimator's."""

    _search_constraints = {
        "Cs": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "temperatures": ["array-like"],
        "cv": ["cv_object"],
        "scoring": [
            StrOptions(set(get_scorer_names())),
            callable,
            list,
            tuple,
            dict,
            None,
        ],
        "refit": ["boolean", str],
        "n_jobs": [Integral, None],
    }

    # The values of the prediction-time settings that leave the model as it
    # was fitted: ties in the score go to them (see _choose).
    _NEUTRAL = {"temperature": 1.0, "threshold": "auto"}

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

    def _training_grid(self):
        """Training parameters besides ``C`` (``{"alpha": alphas}``): each value
        is its own path over ``Cs``."""
        return {}

    def _scorer(self):
        """The scorer, whether it is multi-metric, and the metric to choose by."""
        scoring = self._default_scoring() if self.scoring is None else self.scoring
        multimetric = isinstance(scoring, (list, tuple, dict))
        if multimetric:
            names = list(scoring) if not isinstance(scoring, dict) else list(scoring)
            if self.refit is True or (
                isinstance(self.refit, str) and self.refit not in names
            ):
                raise ValueError(
                    "For multi-metric scoring, refit must be the name of the "
                    f"metric to choose by (one of {names}) or False; got "
                    f"refit={self.refit!r}."
                )
            metric = self.refit if isinstance(self.refit, str) else None
        else:
            if isinstance(self.refit, str):
                raise ValueError(
                    f"refit={self.refit!r} names a metric, but scoring is a single "
                    "metric: use refit=True or False."
                )
            metric = "score"
        return check_scoring(self, scoring=scoring), multimetric, metric

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
        training_grid = self._training_grid()
        scorer, multimetric, metric = self._scorer()
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
        # The refit validates the converted X again, which has no names.
        feature_names = getattr(self, "feature_names_in_", None)
        sample_weight = check_sample_weight(sample_weight, X.shape[0])
        cv = check_cv(self.cv, y, classifier=True)
        folds = list(cv.split(X, y, groups))

        estimator = clone(self)
        # "balanced" class weights are those of all of y, as in
        # LogisticRegressionCV.
        if getattr(self, "class_weight", None) == "balanced":
            estimator.class_weight = _balanced_class_weight(y, sample_weight)
        if y.ndim == 1:
            # Every fold model has the classes of all of y (a class missing
            # from a fold's training part gets a logit that the fit pushes
            # down).
            estimator._cv_classes = np.unique(y)
        elif getattr(self, "null_outcome", None) == "auto":
            # Every fold model has the null outcome when the whole y needs it.
            estimator.null_outcome = bool((np.asarray(y.sum(axis=1)) == 0).any())
        order = np.argsort(grid["C"], kind="stable")  # strongest penalty first
        keys = sorted(grid)[1:]  # ParameterGrid's order: sorted names
        settings = [
            dict(zip(keys, values, strict=True))
            for values in itertools.product(*[grid[k] for k in keys])
        ]
        training = [
            dict(zip(training_grid, values, strict=True))
            for values in itertools.product(*training_grid.values())
        ]
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_fold_path)(
                estimator,
                X,
                y,
                sample_weight,
                train,
                test,
                setting,
                grid["C"][order],
                settings,
                scorer,
            )
            for train, test in folds
            for setting in training
        )
        shape = (len(folds), len(training), len(grid["C"]))
        scores = {
            name: np.empty(shape + (len(settings),)) for name in results[0]["scores"]
        }
        fit_time = np.empty(shape)
        score_time = np.empty(shape + (len(settings),))
        n_iter = np.empty(shape, dtype=np.int32)
        paths = np.empty(shape, dtype=object)
        for index, result in enumerate(results):
            k, t = divmod(index, len(training))
            for name, values in result["scores"].items():
                scores[name][k, t, order] = values
            fit_time[k, t, order] = result["fit_time"]
            score_time[k, t, order] = result["score_time"]
            n_iter[k, t, order] = result["n_iter"]
            for i, solution in zip(order, result["solutions"], strict=True):
                paths[k, t, i] = solution

        search = dict(
            grid=grid,
            training_grid=training_grid,
            keys=keys,
            scores=scores,
            fit_time=fit_time,
            score_time=score_time,
        )
        self._set_search_results(search, multimetric, metric)
        self.Cs_ = grid["C"]
        self.coefs_paths_ = self._coefs_paths(paths, training_grid)
        if metric is not None and self.refit:
            targets, solutions = self._fit_path(X, y, sample_weight, None, [self.C_])
            self._set_fitted(targets, *solutions[0])
        elif metric is not None:
            self._set_average_of_folds(results[0]["targets"], paths, training)
        self.n_iter_ = n_iter if training_grid else n_iter[:, 0]  # the CV's
        if feature_names is not None:
            self.feature_names_in_ = feature_names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return self

    def _coefs_paths(self, paths, training_grid):
        """Every fold's coefficients at every C (and alpha), intercept last."""
        stacked = np.array(
            [
                np.hstack([coef, np.asarray(intercept)[:, None]])
                if self.fit_intercept
                else coef
                for coef, intercept, _ in paths.ravel()
            ]
        )
        stacked = stacked.reshape(paths.shape + stacked.shape[1:])
        return stacked if training_grid else stacked[:, 0]

    def _set_average_of_folds(self, targets, paths, training):
        """``refit=False``: the model is the mean of the folds' models at the
        chosen setting, as in ``LogisticRegressionCV``."""
        t = training.index({k: getattr(self, f"{k}_") for k in training[0]})
        c = int(np.flatnonzero(self.Cs_ == self.C_)[0])
        chosen = paths[:, t, c]
        coef = np.mean([solution[0] for solution in chosen], axis=0)
        intercept = np.mean([solution[1] for solution in chosen], axis=0)
        self._set_fitted(targets, coef.astype(chosen[0][0].dtype),
                         intercept.astype(chosen[0][1].dtype), 0)

    def _set_search_results(self, search, multimetric, metric):
        """``scores_``, ``cv_results_`` (GridSearchCV's format, order and
        ranking) and the chosen setting."""
        grid, training_grid = search["grid"], search["training_grid"]
        keys, scores = search["keys"], search["scores"]
        full_grid = {**grid, **training_grid}
        # GridSearchCV's candidates are ParameterGrid's, in its order: the same
        # grid of indices gives, for each candidate, its place in our arrays.
        index_grid = ParameterGrid({k: range(len(v)) for k, v in full_grid.items()})
        params, places = [], []
        setting_index = {
            tuple(i[k] for k in keys): j
            for j, i in enumerate(
                ParameterGrid({k: range(len(grid[k])) for k in keys})
            )
        }
        training_keys = list(training_grid)
        training_index = {
            tuple(i[k] for k in training_keys): t
            for t, i in enumerate(
                dict(zip(training_keys, values, strict=True))
                for values in itertools.product(
                    *[range(len(v)) for v in training_grid.values()]
                )
            )
        }
        for candidate in index_grid:
            params.append(
                {k: _plain(full_grid[k][candidate[k]]) for k in sorted(full_grid)}
            )
            places.append(
                (
                    training_index[tuple(candidate[k] for k in training_keys)],
                    candidate["C"],
                    setting_index[tuple(candidate[k] for k in keys)],
                )
            )
        t_idx, c_idx, s_idx = (np.array(p) for p in zip(*places, strict=True))
        n_folds = search["fit_time"].shape[0]
        results = {}
        for name in sorted(full_grid):
            kind = object if name == "threshold" else float
            results[f"param_{name}"] = np.ma.MaskedArray(
                np.array([p[name] for p in params], dtype=kind), mask=False
            )
        results["params"] = params
        fit_time = search["fit_time"][:, t_idx, c_idx]  # (n_folds, n_candidates)
        score_time = search["score_time"][:, t_idx, c_idx, s_idx]
        results["mean_fit_time"] = fit_time.mean(axis=0)
        results["std_fit_time"] = fit_time.std(axis=0)
        results["mean_score_time"] = score_time.mean(axis=0)
        results["std_score_time"] = score_time.std(axis=0)
        chosen_means = None
        for name, values in scores.items():
            per_candidate = values[:, t_idx, c_idx, s_idx].T  # (candidates, folds)
            means = per_candidate.mean(axis=1)
            stds = per_candidate.std(axis=1)
            ranked = means
            if np.isnan(means).any():  # GridSearchCV ranks NaN scores last
                ranked = np.nan_to_num(means, nan=np.nanmin(means) - 1)
            suffix = f"_{name}" if multimetric else "_score"
            for k in range(n_folds):
                results[f"split{k}_test{suffix}"] = per_candidate[:, k]
            results[f"mean_test{suffix}"] = means
            results[f"std_test{suffix}"] = stds
            results[f"rank_test{suffix}"] = rankdata(-ranked, method="min").astype(
                np.int32
            )
            if name == metric:
                chosen_means = ranked
        self.cv_results_ = results
        metric_scores = scores[metric] if metric is not None else None
        if metric_scores is not None:
            shape = (n_folds,) + tuple(len(v) for v in training_grid.values())
            shape += (len(grid["C"]),) + tuple(len(grid[k]) for k in keys)
            self.scores_ = metric_scores.reshape(shape)
        if chosen_means is None:  # multi-metric without refit: nothing chosen
            return
        self.best_index_ = self._choose(chosen_means, params)
        self.best_score_ = float(results[
            "mean_test_score" if not multimetric else f"mean_test_{metric}"
        ][self.best_index_])
        best = params[self.best_index_]
        self.C_ = float(best["C"])
        self.temperature_ = float(best["temperature"])
        if "threshold" in best:
            self.threshold_ = best["threshold"]
        for name in training_grid:
            setattr(self, f"{name}_", float(best[name]))

    def _choose(self, means, params):
        """The best mean score; among exact ties, the candidate whose
        prediction-time settings are neutral (temperature 1, the loss's own
        threshold) where the grid has them, then the first in
        ``ParameterGrid`` order (``GridSearchCV``'s choice)."""
        best = np.flatnonzero(means == means.max())

        def neutrality(i):
            return sum(
                params[i].get(name) == value for name, value in self._NEUTRAL.items()
            )

        return int(max(best, key=lambda i: (neutrality(i), -i)))

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
    folds is chosen as ``GridSearchCV`` over ``{grid}`` would choose it, and
    the model is refitted on all the data with the chosen ``C``.{training_note}
    Among settings whose mean scores tie exactly (a scoring that the
    temperature does not change, such as accuracy, ties every temperature),
    the neutral prediction-time setting wins where the grid has it
    (``temperature=1``{neutral_threshold}), then the first in ``ParameterGrid``
    order; ``rank_test_score`` ranks ties equally, as ``GridSearchCV``.

    Every fold fits with what the whole ``y`` gives: its classes, its
    ``class_weight="balanced"`` weights (as ``LogisticRegressionCV``){null_note}.

    Parameters
    ----------
{training_parameters}    Cs : int or array-like of float, default=10
        Values of ``C``; an int ``n`` gives ``np.logspace(-4, 4, n)``, as in
        ``LogisticRegressionCV``. ``np.inf`` (no penalty) is allowed.
    temperatures : array-like of float, default=(1.0,)
        Positive finite temperatures to score, e.g. ``[0.25, 0.5, 1, 2, 4]``.
{extra_parameters}    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept.
    cv : int, cross-validation generator or iterable, default=None
        As in ``GridSearchCV``: None is 5-fold (stratified for one label per
        sample); a group splitter gets ``groups`` from :meth:`fit`.
    scoring : str, callable, list, tuple or dict, default=None
        A scikit-learn scorer name or callable; None is {default_scoring}. A
        scorer that takes ``sample_weight`` gets the validation weights.
        Several metrics (a list of names or a dict of scorers), as in
        ``GridSearchCV``: then ``refit`` names the one to choose by.
    refit : bool or str, default=True
        Refit on all the data with the chosen setting. With ``False`` the
        model is the mean of the folds' models at the chosen setting (as in
        ``LogisticRegressionCV``): it predicts without a refit. For several
        metrics, the name of the metric to choose by (or ``False``: scores
        only, nothing chosen).
    n_jobs : int, default=None
        Folds (and values of ``alpha``) fitted in parallel by joblib's
        processes. The first such call of a process starts the workers, which
        import the package and load its kernels, and every call copies the
        data to them; a fit's BLAS products already use the cores. Measured
        on digits (``Cs=10``, 2 cores, another process busy): the first call
        with 2 jobs took 5.8 s against 1.1 s with 1, later calls 0.92 s
        against 1.15 s. Keep the default (one process) unless the search
        takes many seconds and cores are free.
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
        ``split{{k}}_test_score``, ``mean_test_score``, ``std_test_score``,
        ``rank_test_score`` (``_<metric>`` for several metrics),
        ``mean_fit_time``, ``std_fit_time`` (a path's time divided among its
        ``C``s), ``mean_score_time`` and ``std_score_time``;
        ``pandas.DataFrame(cv_results_)`` works.
    best_index_ : int
        Index of the chosen setting in ``cv_results_``.
    best_score_ : float
        Its mean score over the folds.
    n_iter_ : ndarray of shape {n_iter_shape}
        L-BFGS iterations of each fold's fit at each ``C``.
    coefs_paths_ : ndarray of shape {paths_shape}
        Every fold's coefficients at each ``C``, one row per logit
        (``n_outputs``: classes, one for binary problems; labels and the null
        outcome for multilabel), the intercept as the last column when
        ``fit_intercept``.
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
        class_weight=None,
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
        self.class_weight = class_weight
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
            return grid
        values = list(np.ravel(np.asarray(self.thresholds, dtype=object)))
        numbers = [v for v in values if not (isinstance(v, str) and v == "auto")]
        if numbers:
            checked = iter(
                _check_values(numbers, "thresholds", low=0, high=1, closed="both")
            )
        elif not values:
            _check_values(values, "thresholds", low=0)  # the error of an empty list
        grid["threshold"] = np.array(
            [v if isinstance(v, str) else float(next(checked)) for v in values],
            dtype=object,
        )
        return grid

    @staticmethod
    def _default_scoring():
        return "f1_micro"


_MULTICLASS_EXTRA = """\
    class_weight : dict or "balanced", default=None
        As in the base estimator, in every fold's fit; "balanced" is computed
        once, on the whole ``y`` (as ``LogisticRegressionCV``).
"""
_MULTILABEL_EXTRA = """\
    thresholds : array-like of float in [0, 1] or "auto", default="auto"
        Thresholds to score; "auto" is the base estimator's rule, and may
        also stand in the list beside numbers (``["auto", 0]``: ``1 /
        n_labels`` and the support).
    null_outcome : bool or "auto", default="auto"
        As in the base estimator.
    weighting : {"sample", "label"}, default="sample"
        As in the base estimator.
    class_weight : dict, "balanced" or None, default=None
        As in the base estimator, in every fold's fit; "balanced" is computed
        once, on the whole ``y``.
"""
_THRESHOLD_ATTRIBUTE = """\
    threshold_ : float or "auto"
        The chosen threshold.
"""


_ALPHAS_NOTE = """
    ``alpha`` changes the training loss: each value of ``alphas`` is its own
    warm-started path over ``Cs`` per fold, and the grid is
    ``{"alpha": alphas, ...}``."""
_ALPHAS_PARAMETER = """\
    alphas : array-like of float, default=(1.0, 1.5, 2.0)
        Values of the entmax ``alpha`` (each >= 1) to search: by default
        softmax, 1.5-entmax and sparsemax.
"""
_ALPHA_ATTRIBUTE = """\
    alpha_ : float
        The chosen ``alpha``, the loss of the refitted model.
"""


def _cv_doc(summary, base, loss, multilabel, example, alphas=False):
    scores_shape = (
        "(n_folds, n_Cs, n_temperatures, n_thresholds)"
        if multilabel
        else "(n_folds, n_Cs, n_temperatures)"
    )
    if alphas:
        scores_shape = scores_shape.replace("n_folds, ", "n_folds, n_alphas, ")
    return _CV_DOC.format(
        training_note=_ALPHAS_NOTE if alphas else "",
        training_parameters=_ALPHAS_PARAMETER if alphas else "",
        neutral_threshold=', ``threshold="auto"``' if multilabel else "",
        null_note=", and the null outcome when any row of ``y`` is empty"
        if multilabel
        else "",
        n_iter_shape="(n_folds, n_alphas, n_Cs)" if alphas else "(n_folds, n_Cs)",
        paths_shape="(n_folds, n_alphas, n_Cs, n_outputs, n_features + 1)"
        if alphas
        else "(n_folds, n_Cs, n_outputs, n_features + 1)",
        summary=summary,
        base=base,
        loss=loss,
        grid=(
            '{"C": Cs, "temperature": temperatures, "threshold": thresholds}'
            if multilabel
            else '{"C": Cs, "temperature": temperatures}'
        ).replace("{", '{"alpha": alphas, ' if alphas else "{"),
        extra_parameters=_MULTILABEL_EXTRA if multilabel else _MULTICLASS_EXTRA,
        default_scoring="micro-F1" if multilabel else "accuracy",
        extra_attributes=(_THRESHOLD_ATTRIBUTE if multilabel else "")
        + (_ALPHA_ATTRIBUTE if alphas else ""),
        scores_shape=scores_shape,
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
    def _make_loss(self):
        return SoftmaxLoss()


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
    def _make_loss(self):
        return SparsemaxLoss()


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
    def _make_loss(self):
        return SoftmaxLoss()


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
    ...     Cs=[0.01, 0.1, 1], temperatures=[0.5, 1, 2], thresholds=[0, "auto"],
    ...     tol=1e-6, max_iter=1000
    ... ).fit(X, Y)
    >>> clf.C_, clf.temperature_, clf.threshold_  # 0: the support
    (0.1, 0.5, 0.0)
""",
    )
    def _make_loss(self):
        return SparsemaxLoss()


class _EntmaxCVMixin:
    """``alphas``: a training grid; the fitted model's loss is ``alpha_``'s."""

    def _training_grid(self):
        alphas = _check_values(self.alphas, "alphas", low=1, closed="left")
        if not np.all(np.isfinite(alphas)):
            raise ValueError(f"alphas must be finite, got {self.alphas!r}.")
        return {"alpha": alphas}

    def _make_loss(self):
        return EntmaxLoss(self.alpha_)


def _with_alphas(init):
    """``__init__`` of an entmax CV estimator: ``alphas`` first, then the rest."""

    def __init__(self, *, alphas=(1.0, 1.5, 2.0), **params):
        init(self, **params)
        self.alphas = alphas

    parameters = list(inspect.signature(init).parameters.values())
    alphas = inspect.Parameter(
        "alphas", inspect.Parameter.KEYWORD_ONLY, default=(1.0, 1.5, 2.0)
    )
    __init__.__signature__ = inspect.Signature([parameters[0], alphas, *parameters[1:]])
    return __init__


@fill
class EntmaxRegressionCV(_EntmaxCVMixin, _MulticlassCV):
    __doc__ = _cv_doc(
        "Entmax regression with alpha, C and temperature chosen by cross-validation.",
        "EntmaxRegression",
        "entmax loss of the chosen alpha",
        False,
        """\
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_softmax import EntmaxRegressionCV
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = EntmaxRegressionCV(alphas=[1.0, 1.5, 2.0], Cs=[0.1, 1, 10],
    ...                          temperatures=[0.5, 1, 2], scoring="neg_log_loss",
    ...                          tol=1e-6, max_iter=1000).fit(X, y)
    >>> clf.alpha_, clf.C_, clf.temperature_
    (2.0, 1.0, 0.5)
    >>> clf.scores_.shape
    (5, 3, 3, 3)
""",
        alphas=True,
    )
    _parameter_constraints = {
        **_MulticlassCV._parameter_constraints,
        "alphas": ["array-like"],
    }
    __init__ = _with_alphas(_MulticlassCV.__init__)


@fill
class MultilabelEntmaxRegressionCV(_EntmaxCVMixin, _MultilabelCV):
    __doc__ = _cv_doc(
        "Multilabel entmax regression with alpha, C, temperature and threshold "
        "chosen by CV.",
        "MultilabelEntmaxRegression",
        "entmax loss of the chosen alpha on label proportions",
        True,
        """\
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from sklearn_softmax import MultilabelEntmaxRegressionCV
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=4,
    ...                                       random_state=0)
    >>> clf = MultilabelEntmaxRegressionCV(
    ...     alphas=[1.5, 2.0], Cs=[0.01, 0.1, 1], temperatures=[0.5, 1],
    ...     tol=1e-6, max_iter=1000
    ... ).fit(X, Y)
    >>> clf.alpha_, clf.C_, clf.temperature_
    (2.0, 0.1, 1.0)
""",
        alphas=True,
    )
    _parameter_constraints = {
        **_MultilabelCV._parameter_constraints,
        "alphas": ["array-like"],
    }
    __init__ = _with_alphas(_MultilabelCV.__init__)
