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


def test_chosen_temperature_is_applied_and_refit_false_keeps_scores(multiclass):
    X, y = multiclass
    fitted = SoftmaxRegressionCV(
        Cs=[1.0], temperatures=[0.25, 4.0], scoring="neg_log_loss", cv=3
    ).fit(X, y)
    single = SoftmaxRegression(C=1.0, temperature=fitted.temperature_).fit(X, y)
    assert_allclose(fitted.predict_proba(X), single.predict_proba(X), atol=1e-6)
    unfitted = clone(fitted).set_params(refit=False).fit(X, y)
    assert unfitted.C_ == fitted.C_ and not hasattr(unfitted, "coef_")
    with pytest.raises(Exception, match="not fitted"):
        unfitted.predict(X)


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
    with pytest.raises(ValueError, match="'balanced' needs a positive total"):
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
