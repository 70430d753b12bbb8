"""The CV estimators choose what GridSearchCV over the same grid chooses."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from joblib import parallel_config
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.base import clone
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import get_scorer
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_softmax import (
    EntmaxRegression,
    EntmaxRegressionCV,
    MultilabelEntmaxRegression,
    MultilabelEntmaxRegressionCV,
    MultilabelSoftmaxRegression,
    MultilabelSoftmaxRegressionCV,
    MultilabelSparsemaxRegression,
    MultilabelSparsemaxRegressionCV,
    SoftmaxRegression,
    SoftmaxRegressionCV,
    SparsemaxRegression,
    SparsemaxRegressionCV,
)

TIGHT = dict(tol=1e-10, max_iter=3000)
Cs = [0.01, 0.3, 10.0]
TEMPERATURES = [0.5, 2.0]


@pytest.fixture(scope="module")
def multiclass():
    X, y = make_classification(
        n_samples=240, n_features=8, n_informative=5, n_classes=3, random_state=0
    )
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def multilabel():
    X, Y = make_multilabel_classification(
        n_samples=200, n_features=6, n_classes=4, random_state=0
    )
    return StandardScaler().fit_transform(X), Y


def assert_same_choice(cv_estimator, search, grid_keys):
    best = {k: getattr(cv_estimator, f"{k}_") for k in grid_keys}
    assert best == search.best_params_
    assert cv_estimator.best_score_ == pytest.approx(search.best_score_, abs=1e-7)
    assert_array_equal(
        cv_estimator.cv_results_["rank_test_score"],
        search.cv_results_["rank_test_score"],
    )
    assert_allclose(
        cv_estimator.cv_results_["mean_test_score"],
        search.cv_results_["mean_test_score"],
        atol=1e-7,
    )
    assert cv_estimator.cv_results_["params"] == search.cv_results_["params"]
    assert_allclose(cv_estimator.coef_, search.best_estimator_.coef_, atol=1e-6)


@pytest.mark.parametrize(
    "Base, CV, scoring",
    [
        (SoftmaxRegression, SoftmaxRegressionCV, "neg_log_loss"),
        (SparsemaxRegression, SparsemaxRegressionCV, None),
    ],
)
@pytest.mark.parametrize("case", ["dense", "sparse", "weights", "groups"])
def test_multiclass_chooses_as_grid_search(Base, CV, scoring, case, multiclass):
    X, y = multiclass
    sw, groups, cv = None, None, 4
    if case == "sparse":
        X = sp.csr_matrix(np.where(np.abs(X) < 0.7, 0.0, X))
    elif case == "weights":
        sw = np.random.default_rng(0).random(len(y)) * 2
    elif case == "groups":
        groups, cv = np.arange(len(y)) % 6, GroupKFold(3)
    grid = {"C": Cs, "temperature": TEMPERATURES}
    if sw is None:
        search = GridSearchCV(Base(**TIGHT), grid, scoring=scoring, cv=cv)
        search.fit(X, y, groups=groups)
    else:
        # The CV estimators score with the validation weights; GridSearchCV
        # does when asked through metadata routing (by default only from
        # scikit-learn 1.7 on).
        with config_context(enable_metadata_routing=True):
            scorer = get_scorer(scoring or "accuracy").set_score_request(
                sample_weight=True
            )
            base = Base(**TIGHT).set_fit_request(sample_weight=True)
            search = GridSearchCV(base, grid, scoring=scorer, cv=cv)
            search.fit(X, y, sample_weight=sw)
    fitted = CV(Cs=Cs, temperatures=TEMPERATURES, scoring=scoring, cv=cv, **TIGHT)
    fitted.fit(X, y, sample_weight=sw, groups=groups)
    assert_same_choice(fitted, search, ["C", "temperature"])
    n_folds = 3 if case == "groups" else 4
    assert fitted.scores_.shape == (n_folds, 3, 2)
    assert fitted.n_iter_.shape == fitted.scores_.shape[:2]
    assert_allclose(fitted.predict_proba(X), search.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize(
    "Base, CV",
    [
        (MultilabelSoftmaxRegression, MultilabelSoftmaxRegressionCV),
        (MultilabelSparsemaxRegression, MultilabelSparsemaxRegressionCV),
    ],
)
def test_multilabel_chooses_as_grid_search(Base, CV, multilabel):
    X, Y = multilabel
    thresholds = [0.0, 0.15, 0.3]
    grid = {"C": Cs, "temperature": TEMPERATURES, "threshold": thresholds}
    cv = KFold(3, shuffle=True, random_state=0)
    search = GridSearchCV(Base(**TIGHT), grid, scoring="f1_micro", cv=cv).fit(X, Y)
    fitted = CV(
        Cs=Cs, temperatures=TEMPERATURES, thresholds=thresholds, cv=cv, **TIGHT
    ).fit(X, Y)
    assert_same_choice(fitted, search, ["C", "temperature", "threshold"])
    assert fitted.scores_.shape == (3, 3, 2, 3)
    assert_array_equal(fitted.predict(X), search.predict(X))


def test_results_format_pipeline_and_pickle(multiclass):
    pd = pytest.importorskip("pandas")
    X, y = multiclass
    fitted = SparsemaxRegressionCV(Cs=3, temperatures=[0.5, 1.0], cv=3).fit(X, y)
    frame = pd.DataFrame(fitted.cv_results_)
    assert len(frame) == 6
    for key in [
        "params",
        "param_C",
        "param_temperature",
        "split0_test_score",
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
    ]:
        assert key in fitted.cv_results_
    assert_allclose(fitted.Cs_, np.logspace(-4, 4, 3))
    assert fitted.best_score_ == frame["mean_test_score"].max()
    pipe = make_pipeline(StandardScaler(), SparsemaxRegressionCV(Cs=3, cv=3))
    pipe.fit(X, y)
    clone_ = pickle.loads(pickle.dumps(pipe))
    assert_array_equal(clone_.predict_proba(X), pipe.predict_proba(X))


def test_chosen_temperature_is_applied_and_refit_false_averages_folds(multiclass):
    X, y = multiclass
    fitted = SoftmaxRegressionCV(
        Cs=[0.1, 1.0], temperatures=[0.25, 4.0], scoring="neg_log_loss", cv=3
    ).fit(X, y)
    single = SoftmaxRegression(C=fitted.C_, temperature=fitted.temperature_)
    single.fit(X, y)
    assert_allclose(fitted.predict_proba(X), single.predict_proba(X), atol=1e-6)
    # refit=False: the mean of the folds' models at the chosen C, as in
    # LogisticRegressionCV; coefs_paths_ holds every fold's model.
    averaged = clone(fitted).set_params(refit=False).fit(X, y)
    assert averaged.C_ == fitted.C_
    assert averaged.coefs_paths_.shape == (3, 2, 3, X.shape[1] + 1)
    c = list(averaged.Cs_).index(averaged.C_)
    mean = averaged.coefs_paths_[:, c].mean(axis=0)
    assert_allclose(averaged.coef_, mean[:, :-1])
    assert_allclose(averaged.intercept_, mean[:, -1])
    assert_allclose(fitted.coefs_paths_, averaged.coefs_paths_)
    assert averaged.predict_proba(X).shape == (len(y), 3)
    refitted_accuracy = np.mean(fitted.predict(X) == y)
    assert np.mean(averaged.predict(X) == y) > refitted_accuracy - 0.05


def test_scorer_gets_validation_weights(multiclass):
    X, y = multiclass
    sw = np.where(np.arange(len(y)) % 2, 0.0, 1.0)
    seen = []

    def scorer(estimator, X_test, y_test, sample_weight=None):
        seen.append(sample_weight)
        return 0.0

    SoftmaxRegressionCV(Cs=[1.0], cv=3, scoring=scorer).fit(X, y, sample_weight=sw)
    assert len(seen) == 3 and all(set(w) <= {0.0, 1.0} and 0 < w.sum() for w in seen)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(Cs=[]), "Cs must be a non-empty"),
        (dict(Cs=[1.0, -1.0]), "Every value of Cs"),
        (dict(temperatures=[0.0]), "Every value of temperatures"),
        (dict(temperatures=[np.inf]), "Every value of temperatures"),
        (dict(cv=1), "must be an int in the range \\[2, inf\\)"),
    ],
)
def test_bad_input(params, match, multiclass):
    X, y = multiclass
    with pytest.raises(ValueError, match=match):
        SoftmaxRegressionCV(**params).fit(X, y)


def test_bad_thresholds_and_missing_class(multilabel, multiclass):
    X, Y = multilabel
    with pytest.raises(ValueError, match="Every value of thresholds"):
        MultilabelSparsemaxRegressionCV(thresholds=[0.5, 1.5]).fit(X, Y)
    X, y = multiclass
    y = y.copy()
    y[:3] = 3  # a class in the first fold only: its training part lacks it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted = SoftmaxRegressionCV(Cs=2, cv=KFold(3)).fit(X, y)
    assert_array_equal(fitted.classes_, [0, 1, 2, 3])
    # "balanced" weights are those of the whole y (which has every class).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        SoftmaxRegressionCV(Cs=2, cv=KFold(3), class_weight="balanced").fit(X, y)


def test_folds_in_parallel_give_the_same_search(multiclass):
    X, y = multiclass
    settings = dict(Cs=3, temperatures=[0.5, 1.0], scoring="neg_log_loss", cv=3)
    serial = SparsemaxRegressionCV(**settings).fit(X, y)
    # Threads: the same assembly of out-of-order fold results as processes,
    # without the seconds it takes to start them.
    with parallel_config(backend="threading"):
        parallel = SparsemaxRegressionCV(n_jobs=2, **settings).fit(X, y)
    assert_array_equal(parallel.scores_, serial.scores_)
    assert_array_equal(parallel.n_iter_, serial.n_iter_)
    assert_array_equal(parallel.coef_, serial.coef_)


@pytest.mark.parametrize(
    "Base, CV, scoring, grid_extra",
    [
        (EntmaxRegression, EntmaxRegressionCV, "neg_log_loss", {}),
        (EntmaxRegression, EntmaxRegressionCV, None, {}),
        (
            MultilabelEntmaxRegression,
            MultilabelEntmaxRegressionCV,
            "f1_micro",
            {"threshold": [0.0, 0.2]},
        ),
    ],
)
def test_entmax_cv_chooses_as_grid_search_over_alpha(
    Base, CV, scoring, grid_extra, multiclass, multilabel
):
    X, y = multilabel if grid_extra else multiclass
    alphas = [1.0, 1.5, 2.0]
    grid = {"alpha": alphas, "C": Cs, "temperature": TEMPERATURES, **grid_extra}
    cv = KFold(3, shuffle=True, random_state=0)
    search = GridSearchCV(Base(**TIGHT), grid, scoring=scoring, cv=cv).fit(X, y)
    extra = {"thresholds": grid_extra["threshold"]} if grid_extra else {}
    fitted = CV(
        alphas=alphas, Cs=Cs, temperatures=TEMPERATURES, scoring=scoring, cv=cv,
        **extra, **TIGHT,
    ).fit(X, y)
    assert_same_choice(fitted, search, list(grid))
    assert fitted.scores_.shape[:3] == (3, 3, 3)
    assert fitted.n_iter_.shape == (3, 3, 3)
    assert_array_equal(fitted.predict(X), search.predict(X))


def test_entmax_at_one_and_two_is_softmax_and_sparsemax(multiclass):
    X, y = multiclass
    for alpha, Other in ((1.0, SoftmaxRegression), (2.0, SparsemaxRegression)):
        ours = EntmaxRegression(alpha=alpha, **TIGHT).fit(X, y)
        other = Other(**TIGHT).fit(X, y)
        assert_allclose(ours.coef_, other.coef_, atol=1e-8)
        assert_allclose(ours.predict_proba(X), other.predict_proba(X), atol=1e-8)


@pytest.mark.parametrize("CV", [SoftmaxRegressionCV, MultilabelSparsemaxRegressionCV])
def test_cv_keeps_feature_names(CV, multiclass, multilabel):
    pd = pytest.importorskip("pandas")
    X, y = multilabel if CV is MultilabelSparsemaxRegressionCV else multiclass
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    fitted = CV(Cs=2, cv=3).fit(frame, y)
    assert_array_equal(fitted.feature_names_in_, frame.columns)
    with pytest.raises(ValueError, match="feature names"):
        fitted.predict(frame[frame.columns[::-1]])
    assert not hasattr(CV(Cs=2, cv=3).fit(X, y), "feature_names_in_")


def test_balanced_class_weight_is_that_of_the_whole_y(multiclass):
    X, y = multiclass
    y = np.where(np.arange(len(y)) < 40, 0, y)  # unbalanced
    counts = np.bincount(y)
    weights = dict(enumerate(len(y) / (3 * counts)))
    cv = KFold(4, shuffle=True, random_state=0)
    balanced = SoftmaxRegressionCV(Cs=6, cv=cv, class_weight="balanced").fit(X, y)
    as_dict = SoftmaxRegressionCV(Cs=6, cv=cv, class_weight=weights).fit(X, y)
    assert balanced.C_ == as_dict.C_
    assert_allclose(balanced.scores_, as_dict.scores_)
    assert_allclose(balanced.coef_, as_dict.coef_)


@pytest.mark.parametrize("temperatures", [[0.25, 0.5, 1.0, 2.0, 4.0], [4, 2, 1, 0.5]])
def test_ties_among_temperatures_go_to_the_neutral_one(
    temperatures, multiclass, multilabel
):
    X, y = multiclass
    # Accuracy does not depend on the temperature: every temperature ties.
    fitted = SparsemaxRegressionCV(Cs=[1.0], temperatures=temperatures, cv=3)
    fitted.fit(X, y)
    assert fitted.temperature_ == 1.0
    assert fitted.cv_results_["params"][fitted.best_index_]["temperature"] == 1.0
    assert set(fitted.cv_results_["rank_test_score"]) == {1}
    # Without the neutral value: the first in ParameterGrid order.
    fitted = SparsemaxRegressionCV(Cs=[1.0], temperatures=[4.0, 0.5], cv=3).fit(X, y)
    assert fitted.temperature_ == 4.0
    # Thresholds no probability reaches: every setting ties, T=1 wins.
    X, Y = multilabel
    fitted = MultilabelSparsemaxRegressionCV(
        Cs=[1.0], temperatures=[2.0, 1.0], thresholds=[0.99, 1.0], cv=3
    ).fit(X, Y)
    assert fitted.temperature_ == 1.0 and fitted.threshold_ == 0.99


def test_timings_and_several_metrics_as_grid_search(multiclass):
    X, y = multiclass
    cv = KFold(3, shuffle=True, random_state=0)
    scoring = ["accuracy", "neg_log_loss"]
    grid = {"C": Cs, "temperature": TEMPERATURES}
    search = GridSearchCV(
        SoftmaxRegression(**TIGHT), grid, scoring=scoring, refit="neg_log_loss", cv=cv
    ).fit(X, y)
    fitted = SoftmaxRegressionCV(
        Cs=Cs, temperatures=TEMPERATURES, scoring=scoring, refit="neg_log_loss",
        cv=cv, **TIGHT,
    ).fit(X, y)
    assert set(search.cv_results_) == set(fitted.cv_results_)
    for name in scoring:
        assert_allclose(
            fitted.cv_results_[f"mean_test_{name}"],
            search.cv_results_[f"mean_test_{name}"],
            atol=1e-7,
        )
    assert fitted.best_index_ == search.best_index_
    assert fitted.best_score_ == pytest.approx(search.best_score_, abs=1e-7)
    for key in ("mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time"):
        assert fitted.cv_results_[key].shape == (6,)
        assert np.all(fitted.cv_results_[key] >= 0)
    assert np.all(fitted.cv_results_["mean_fit_time"] > 0)
    with pytest.raises(ValueError, match="refit must be the name"):
        SoftmaxRegressionCV(Cs=2, scoring=scoring).fit(X, y)
    scores_only = SoftmaxRegressionCV(Cs=2, scoring=scoring, refit=False).fit(X, y)
    assert not hasattr(scores_only, "best_index_")
    assert "mean_test_accuracy" in scores_only.cv_results_
