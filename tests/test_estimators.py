import pickle
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_iris, load_wine, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_softmax import EntmaxRegression, SoftmaxRegression, SparsemaxRegression
from sklearn_softmax.functional import softmax, sparsemax

ESTIMATORS = [SoftmaxRegression, SparsemaxRegression, EntmaxRegression]
TIGHT = dict(tol=1e-10, max_iter=10_000)


@pytest.fixture(scope="module")
def wine():
    X, y = load_wine(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def sparse_problem(seed=0):
    X, y = make_classification(
        n_samples=300, n_features=30, n_informative=10, n_classes=4, random_state=seed
    )
    X[np.random.default_rng(seed).random(X.shape) < 0.7] = 0
    return X, y


# --- oracle: LogisticRegression ----------------------------------------------


@pytest.mark.parametrize("C", [0.05, 1.0, 20.0])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_softmax_matches_logistic_regression(C, sparse, weighted):
    X, y = sparse_problem()
    sw = np.random.default_rng(1).random(len(y)) * 3 if weighted else None
    X_fit = sp.csr_matrix(X) if sparse else X
    ours = SoftmaxRegression(C=C, **TIGHT).fit(X_fit, y, sample_weight=sw)
    ref = LogisticRegression(C=C, **TIGHT).fit(X_fit, y, sample_weight=sw)
    assert_allclose(ours.coef_, ref.coef_, atol=1e-4)
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4)
    assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)


@pytest.mark.parametrize("C", [0.1, 1.0])
@pytest.mark.parametrize("sparse", [False, True])
def test_binary_softmax_is_logistic_regression_at_twice_C(C, sparse):
    X, y = sparse_problem()
    y = y % 2
    X_fit = sp.csr_matrix(X) if sparse else X
    ours = SoftmaxRegression(C=C, **TIGHT).fit(X_fit, y)
    ref = LogisticRegression(C=2 * C, **TIGHT).fit(X_fit, y)
    assert ours.coef_.shape == (1, X.shape[1])
    assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-6)
    assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-5)
    assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)


def test_class_weight_matches_logistic_regression(wine):
    X, y = wine
    for class_weight in ["balanced", {0: 0.5, 1: 2.0, 2: 1.0}]:
        ours = SoftmaxRegression(class_weight=class_weight, **TIGHT).fit(X, y)
        ref = LogisticRegression(class_weight=class_weight, **TIGHT).fit(X, y)
        assert_allclose(ours.coef_, ref.coef_, atol=1e-5)


# --- model properties ----------------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_sparse_and_dense_give_the_same_model(Est, monkeypatch):
    # The same L-BFGS memory for both (sparse X with few values per feature
    # gets fewer corrections), so that they take the same path.
    from sklearn_softmax import _solver

    monkeypatch.setattr(_solver, "lbfgs_corrections", lambda X: _solver._CORRECTIONS)
    X, y = sparse_problem()
    dense = Est(**TIGHT).fit(X, y)
    sparse = Est(**TIGHT).fit(sp.csr_matrix(X), y)
    # Both stop on L-BFGS-B's relative reduction test (ftol = 64 eps, as
    # LogisticRegression) before tol: within a few 1e-7 of each other, as the
    # rounding of the dense and the sparse products leads them.
    assert_allclose(sparse.coef_, dense.coef_, atol=1e-6)
    assert_allclose(
        sparse.predict_proba(sp.csr_matrix(X)), dense.predict_proba(X), atol=1e-6
    )


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_class_weight_is_sample_weight(Est, wine):
    X, y = wine
    weights = {0: 0.5, 1: 3.0, 2: 1.0}
    a = Est(class_weight=weights, **TIGHT).fit(X, y)
    b = Est(**TIGHT).fit(X, y, sample_weight=np.vectorize(weights.get)(y))
    assert_allclose(a.coef_, b.coef_, atol=1e-8)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_zero_weight_is_removal_and_integer_weight_is_repetition(Est, wine):
    X, y = wine
    sw = np.random.default_rng(0).integers(0, 3, size=len(y))
    weighted = Est(**TIGHT).fit(X, y, sample_weight=sw)
    repeated = Est(**TIGHT).fit(np.repeat(X, sw, axis=0), np.repeat(y, sw))
    assert_allclose(weighted.coef_, repeated.coef_, atol=1e-7)


@pytest.mark.parametrize("Est", ESTIMATORS)
@pytest.mark.parametrize("sparse", [False, True])
def test_float32_is_preserved(Est, sparse, wine):
    X, y = wine
    X32 = X.astype(np.float32)
    if sparse:
        X, X32 = sp.csr_matrix(X), sp.csr_matrix(X32)
    clf32 = Est().fit(X32, y)
    clf64 = Est().fit(X, y)
    assert clf32.coef_.dtype == np.float32
    assert clf32.predict_proba(X32).dtype == np.float32
    assert clf32.decision_function(X32).dtype == np.float32
    assert_allclose(clf32.predict_proba(X32), clf64.predict_proba(X), atol=2e-3)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_fit_intercept_false(Est, wine):
    X, y = wine
    clf = Est(fit_intercept=False).fit(X, y)
    assert_array_equal(clf.intercept_, 0.0)
    assert clf.intercept_.shape == (3,)


def test_string_labels_and_binary_orientation(wine):
    X, y = wine
    mask = y < 2
    labels = np.array(["red", "white"])[y[mask]]
    for Est in ESTIMATORS:
        clf = Est().fit(X[mask], labels)
        assert_array_equal(clf.classes_, ["red", "white"])
        d = clf.decision_function(X[mask])
        assert d.shape == (mask.sum(),)
        assert_array_equal(clf.predict(X[mask]), np.where(d > 0, "white", "red"))
        assert (clf.predict(X[mask]) == labels).mean() > 0.95


def test_sparsemax_binary_probability_formula(wine):
    X, y = wine
    mask = y < 2
    clf = SparsemaxRegression(temperature=0.7).fit(X[mask], y[mask])
    d = clf.decision_function(X[mask])
    assert_allclose(clf.predict_proba(X[mask])[:, 1], np.clip((1 + d / 0.7) / 2, 0, 1))


# --- temperature -------------------------------------------------------------------


@pytest.mark.parametrize(
    "Est, mapping", [(SoftmaxRegression, softmax), (SparsemaxRegression, sparsemax)]
)
def test_temperature_is_applied_at_prediction(Est, mapping, wine):
    X, y = wine
    clf = Est().fit(X, y)
    coef = clf.coef_.copy()
    Z = clf.decision_function(X)
    y_pred = clf.predict(X)
    for T in [0.25, 1.0, 4.0]:
        clf.set_params(temperature=T)
        assert_allclose(clf.predict_proba(X), mapping(Z / T), atol=1e-12)
        assert_array_equal(clf.predict(X), y_pred)
    assert_array_equal(clf.coef_, coef)  # no refit
    # Fitting at another temperature learns the same coefficients.
    assert_array_equal(Est(temperature=3.0).fit(X, y).coef_, coef)


def test_sparsemax_temperature_controls_support_size(wine):
    X, y = wine
    clf = SparsemaxRegression(C=0.01).fit(X, y)
    sizes = [
        (clf.set_params(temperature=T).predict_proba(X) > 0).sum(axis=1).mean()
        for T in [0.01, 1.0, 100.0]
    ]
    assert sizes[0] < sizes[1] < sizes[2]
    assert sizes[0] == 1.0 and sizes[2] == 3.0


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_predict_log_proba(Est, wine):
    X, y = wine
    clf = Est().fit(X, y)
    log_P = clf.predict_log_proba(X)  # RuntimeWarnings are errors in this suite
    P = clf.predict_proba(X)
    assert_array_equal(np.isneginf(log_P), P == 0)
    assert_allclose(np.exp(log_P), P, atol=1e-15)
    if Est is SparsemaxRegression:
        assert np.isneginf(log_P).any()


def test_softmax_log_proba_is_exact_where_proba_underflows():
    X = np.array([[-1.0], [1.0]])
    clf = SoftmaxRegression(C=1e6, **TIGHT).fit(X, [0, 1])
    X_far = np.array([[1e4]])
    assert clf.predict_proba(X_far)[0, 0] == 0.0
    log_P = clf.predict_log_proba(X_far)
    assert np.isfinite(log_P).all()
    assert_allclose(log_P[0, 0], -clf.decision_function(X_far)[0], rtol=1e-12)


# --- scikit-learn integration ----------------------------------------------------


def test_grid_search_over_temperature_in_a_pipeline():
    X, y = load_iris(return_X_y=True)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), SoftmaxRegression()),
        {"softmaxregression__temperature": [0.25, 0.5, 1, 2, 4]},
        scoring="neg_log_loss",
    ).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert len(set(np.round(scores, 8))) == 5  # the temperature matters
    assert search.best_params_["softmaxregression__temperature"] in [0.25, 0.5, 1, 2, 4]
    assert search.best_score_ == scores.max()


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_cross_val_score(Est, wine):
    X, y = wine
    assert cross_val_score(Est(), X, y, cv=5).mean() > 0.9


@pytest.mark.skipif(
    "temperature"
    not in CalibratedClassifierCV._parameter_constraints["method"][0].options,
    reason="CalibratedClassifierCV(method='temperature') is new in scikit-learn 1.8",
)
def test_calibrated_classifier_cv_temperature(wine):
    X, y = wine
    calibrated = CalibratedClassifierCV(SoftmaxRegression(), method="temperature", cv=3)
    calibrated.fit(X, y)
    P = calibrated.predict_proba(X)
    assert_allclose(P.sum(axis=1), 1.0)
    assert log_loss(y, P) < 0.5


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_warm_start_resumes(Est, wine):
    X, y = wine
    clf = Est(warm_start=True, tol=1e-6, max_iter=1000).fit(X, y)
    first = clf.n_iter_
    clf.fit(X, y)
    assert clf.n_iter_ < first / 2


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_convergence_warning_says_what_to_do(Est, wine):
    X, y = wine
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        clf = Est(max_iter=2).fit(X, y)
    assert clf.n_iter_ == 2


def test_verbose_prints_progress(wine, capsys):
    X, y = wine
    SoftmaxRegression(verbose=1).fit(X, y)
    assert re.search(r"L-BFGS iteration 1: objective = ", capsys.readouterr().out)


# --- errors --------------------------------------------------------------------------


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_clear_errors(Est, wine):
    X, y = wine
    # NaN/inf in X, a wrong number of features: scikit-learn's check suite.
    with pytest.raises(ValueError, match="only one class"):
        Est().fit(X, np.zeros_like(y))
    with pytest.raises(ValueError, match="Unknown label type"):
        Est().fit(X, y + 0.5)
    with pytest.raises(ValueError, match="Multilabel"):
        Est().fit(X, np.eye(3)[y])
    with pytest.raises(ValueError, match="temperature"):
        Est(temperature=0).fit(X, y)
    with pytest.raises(ValueError, match="C"):
        Est(C=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="sample_weight"):
        Est().fit(X, y, sample_weight=-np.ones(len(y)))
    with pytest.raises(ValueError, match="sample_weight"):
        Est().fit(X, y, sample_weight=np.zeros(len(y)))
    clf = Est().fit(X, y)
    clf.set_params(temperature=-1.0)
    with pytest.raises(ValueError, match="temperature"):
        clf.predict_proba(X)


def test_float32_fit_stops_cleanly_where_the_objective_stops_decreasing():
    # float32 data, string labels, class and sample weights, a tight tol: the
    # objective stops decreasing at float32 precision before the gradient
    # reaches tol. LogisticRegression stops there cleanly; so must we (a
    # failed line search on float32 rounding noise warned before).
    X, y = make_classification(
        n_samples=300, n_features=8, n_informative=5, n_classes=3, random_state=6
    )
    X = StandardScaler().fit_transform(X).astype(np.float32)
    labels = np.array(["a", "b", "c"])[y]
    sw = np.random.default_rng(6).random(len(y)) * 2
    settings = dict(class_weight={"a": 2.0, "b": 0.5, "c": 1.0}, C=1e4, tol=1e-8)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        ours = SoftmaxRegression(**settings).fit(X, labels, sample_weight=sw)
        ref = LogisticRegression(**settings).fit(X, labels, sample_weight=sw)
    assert_allclose(ours.coef_, ref.coef_, atol=1e-3)


# --- hardening: what other projects' tests and hostile input found ----------------


def test_C_inf_is_no_penalty_as_in_logistic_regression(wine):
    X, y = wine
    X = X[:, :3]  # not separable: the unpenalized cross-entropy has a minimizer
    ours = SoftmaxRegression(C=np.inf, **TIGHT).fit(X, y)
    ref = LogisticRegression(C=np.inf, **TIGHT).fit(X, y)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-4, atol=1e-4)
    far = SoftmaxRegression(C=1e12, **TIGHT).fit(X, y)
    assert_allclose(ours.coef_, far.coef_, atol=1e-4)


@pytest.mark.parametrize(
    "class_weight", [{0: -1.0}, {0: np.nan}, {0: np.inf}, {0: "2"}]
)
def test_class_weights_are_validated_as_sample_weights(class_weight, wine):
    X, y = wine
    with pytest.raises(ValueError, match="class_weight values must be finite non-neg"):
        SoftmaxRegression(class_weight=class_weight).fit(X, y)


def test_scalar_sample_weight_and_n_iter_shape(wine):
    X, y = wine
    # Weight 2.5 for every sample is 2.5 copies of the data: C * 2.5.
    scalar = SparsemaxRegression(**TIGHT).fit(X, y, sample_weight=2.5)
    ones = SparsemaxRegression(C=2.5, **TIGHT).fit(X, y)
    assert_allclose(scalar.coef_, ones.coef_, atol=1e-8)
    assert scalar.n_iter_.shape == (1,) and scalar.n_iter_[0] > 0
    lr = LogisticRegression().fit(X, y)
    assert scalar.n_iter_.dtype == lr.n_iter_.dtype


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_pickle_carries_the_library_version(Est, wine, monkeypatch):
    from sklearn.exceptions import InconsistentVersionWarning

    X, y = wine
    blob = pickle.dumps(Est().fit(X, y))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pickle.loads(blob)  # same version: silent
    monkeypatch.setattr("sklearn_softmax._base.__version__", "99.0")
    with pytest.warns(InconsistentVersionWarning, match=r"\(sklearn-softmax\) from ve"):
        pickle.loads(blob)


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_max_iter_zero_leaves_the_start_point(Est, wine):
    X, y = wine
    with pytest.warns(ConvergenceWarning, match="after 0 iteration"):
        model = Est(max_iter=0).fit(X, y)
    assert model.n_iter_[0] == 0
    assert not model.coef_.any()
    # The intercept a fit starts from: the loss's start logits of the class
    # frequencies (softmax: their centered logarithm; sparsemax: zeros).
    expected = model._make_loss().start_logits(np.bincount(y) / len(y))
    assert_allclose(model.intercept_, expected)
