import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_multilabel_classification
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_softmax import (
    EntmaxRegression,
    MultilabelEntmaxRegression,
    MultilabelSoftmaxRegression,
    MultilabelSparsemaxRegression,
    SoftmaxRegression,
    SparsemaxRegression,
)
from sklearn_softmax._objective import LinearObjective
from sklearn_softmax.losses import EntmaxLoss, SoftmaxLoss, SparsemaxLoss

MULTILABEL = [
    MultilabelSoftmaxRegression,
    MultilabelSparsemaxRegression,
    MultilabelEntmaxRegression,
]
PAIRS = [
    (MultilabelSoftmaxRegression, SoftmaxRegression),
    (MultilabelSparsemaxRegression, SparsemaxRegression),
    (MultilabelEntmaxRegression, EntmaxRegression),
]
WITH_LOSS = [
    (MultilabelSoftmaxRegression, SoftmaxLoss()),
    (MultilabelSparsemaxRegression, SparsemaxLoss()),
    (MultilabelEntmaxRegression, EntmaxLoss(1.5)),
]
TIGHT = dict(tol=1e-10, max_iter=10_000)


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(
        n_samples=300, n_features=10, n_classes=5, n_labels=2, random_state=0
    )
    return StandardScaler().fit_transform(X), Y


@pytest.fixture(scope="module")
def data_no_empty(data):
    X, Y = data
    keep = Y.sum(axis=1) > 0
    return X[keep], Y[keep]


@pytest.mark.parametrize("Multi, Single", PAIRS)
def test_one_label_sets_are_the_multiclass_model(Multi, Single, data):
    X, Y = data
    y = np.random.default_rng(0).integers(4, size=len(X))
    multi = Multi(**TIGHT).fit(X, np.eye(4, dtype=int)[y])
    single = Single(**TIGHT).fit(X, y)
    assert not multi.null_outcome_
    assert_allclose(multi.coef_, single.coef_, atol=1e-6)
    assert_allclose(multi.predict_proba(X), single.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("Multi, Single", PAIRS)
def test_1d_y_behaves_like_the_multiclass_estimator(Multi, Single, data):
    X, Y = data
    for y in [Y[:, 0], Y.argmax(axis=1)]:
        multi = Multi().fit(X, y)
        single = Single().fit(X, y)
        assert_array_equal(multi.predict(X), single.predict(X))
        assert_array_equal(multi.coef_, single.coef_)
        assert_array_equal(multi.decision_function(X), single.decision_function(X))


@pytest.mark.parametrize("Multi, loss", WITH_LOSS)
def test_fit_minimizes_the_objective_on_label_proportions(Multi, loss, data):
    # The fitted parameters are a stationary point of the objective of the
    # null-augmented targets q = y / |y| (and e_null for empty rows).
    X, Y = data
    clf = Multi(C=0.5, **TIGHT).fit(X, Y)
    assert clf.null_outcome_
    size = Y.sum(axis=1, keepdims=True)
    Q = np.hstack([Y / np.maximum(size, 1), (size == 0)])
    obj = LinearObjective(loss, fit_intercept=True, n_features=10, n_outputs=6)
    coef = np.vstack([clf.coef_, clf.null_coef_])
    intercept = np.append(clf.intercept_, clf.null_intercept_)
    sw = np.full(len(X), 1 / len(X))
    _, grad = obj.loss_gradient(
        obj.pack(coef.T, intercept), X, Q, sw, 1 / (0.5 * len(X))
    )
    assert np.abs(grad).max() < 1e-6


@pytest.mark.parametrize("Multi, Single", PAIRS)
def test_label_weighting_is_pick_all_labels(Multi, Single, data_no_empty):
    # weighting="label" is the single-label model fitted on one copy of each
    # sample per label of its set (Menon et al.'s pick-all-labels reduction).
    X, Y = data_no_empty
    rows, labels = np.nonzero(Y)
    multi = Multi(weighting="label", C=0.5, **TIGHT).fit(X, Y)
    single = Single(C=0.5, **TIGHT).fit(X[rows], labels)
    assert_allclose(multi.coef_, single.coef_, atol=1e-6)
    assert_allclose(multi.intercept_, single.intercept_, atol=1e-6)
    # ... and the same as sample weights |y_i| with the default weighting.
    weighted = Multi(C=0.5, **TIGHT).fit(X, Y, sample_weight=Y.sum(axis=1))
    assert_allclose(multi.coef_, weighted.coef_, atol=1e-6)
    default = Multi(C=0.5, **TIGHT).fit(X, Y)
    assert np.abs(default.coef_ - multi.coef_).max() > 1e-2


@pytest.mark.parametrize("Est", MULTILABEL)
@pytest.mark.parametrize("weighting", ["sample", "label"])
def test_weighting_population_minimizer(Est, weighting):
    # Without features the fitted distribution is the minimizer of the
    # weighted loss: mean of y / |y| ("sample"), or the label frequencies
    # over the total number of labels ("label").
    Y = np.array([[1, 1, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 1]])
    X = np.zeros((len(Y), 1))
    clf = Est(weighting=weighting, **TIGHT).fit(X, Y)
    size = Y.sum(axis=1, keepdims=True)
    if weighting == "sample":
        expected = (Y / size).mean(axis=0)
    else:
        expected = Y.sum(axis=0) / size.sum()
    assert_allclose(clf.predict_proba(X[:1])[0], expected, atol=1e-6)


@pytest.mark.parametrize("Est", MULTILABEL)
def test_label_weighting_counts_an_empty_set_once(Est, data):
    X, Y = data
    size = Y.sum(axis=1)
    assert (size == 0).any() and (size > 1).any()
    clf = Est(weighting="label", **TIGHT).fit(X, Y)
    weighted = Est(**TIGHT).fit(X, Y, sample_weight=np.maximum(size, 1))
    assert clf.null_outcome_
    assert_allclose(clf.coef_, weighted.coef_, atol=1e-6)
    assert_allclose(clf.null_coef_, weighted.null_coef_, atol=1e-6)


@pytest.mark.parametrize("Est", MULTILABEL)
@pytest.mark.parametrize("weighting", ["sample", "label"])
@pytest.mark.parametrize("with_empty", [False, True])
def test_label_sets_recovered_exactly_on_separable_data(Est, weighting, with_empty):
    # Label k is in the set exactly when feature k is +1 (features are +-1):
    # a linear model separates every label from the others, and the rule
    # must give back every set, of every size, on all 2^5 feature patterns,
    # the empty set through the null outcome.
    n_labels = 5
    patterns = np.array(
        [[(i >> k) & 1 for k in range(n_labels)] for i in range(2**n_labels)]
    )
    if not with_empty:
        patterns = patterns[patterns.sum(axis=1) > 0]
    if Est is MultilabelSoftmaxRegression:
        # p_k > 1/K cannot hold for all K labels at once (they sum to 1).
        patterns = patterns[patterns.sum(axis=1) < n_labels]
        params = {}
    else:
        # The support rule (threshold 0) gives back sets of every size. Under
        # the L2 penalty the sparsemax margins are met up to a small
        # violation, a sliver of mass outside the set; T = 0.5 doubles them.
        params = {"temperature": 0.5, "threshold": 0.0}
    rng = np.random.default_rng(0)
    Y = patterns[rng.integers(len(patterns), size=400)]
    X = 2.0 * Y - 1
    clf = Est(C=10.0, weighting=weighting, **params, **TIGHT).fit(X, Y)
    assert clf.null_outcome_ == with_empty
    assert_array_equal(clf.predict(2.0 * patterns - 1), patterns)
    sizes = set(patterns.sum(axis=1))
    assert min(sizes) == (0 if with_empty else 1) and len(sizes) >= n_labels - 1


@pytest.mark.parametrize("Est", MULTILABEL)
def test_null_outcome(Est, data, data_no_empty):
    X, Y = data
    assert (Y.sum(axis=1) == 0).any()
    clf = Est().fit(X, Y)
    assert clf.null_outcome_
    P = clf.predict_proba(X)
    p_empty = clf.predict_empty_proba(X)
    assert P.shape == Y.shape
    assert_allclose(P.sum(axis=1) + p_empty, 1.0)
    assert (clf.predict(X).sum(axis=1) == 0).any()  # empty sets are predicted
    # 'auto' is off on data without empty sets, and then changes nothing.
    X1, Y1 = data_no_empty
    auto = Est().fit(X1, Y1)
    assert not auto.null_outcome_ and auto.null_coef_ is None
    assert_array_equal(auto.predict_empty_proba(X1), 0.0)
    off = Est(null_outcome=False).fit(X1, Y1)
    assert_array_equal(off.coef_, auto.coef_)
    # Forced on without empty sets: the null outcome learns to stay out.
    forced = Est(null_outcome=True).fit(X1, Y1)
    assert forced.null_outcome_
    assert forced.predict_empty_proba(X1).mean() < 0.05


@pytest.mark.parametrize("Est", MULTILABEL)
def test_null_outcome_off_ignores_empty_rows(Est, data, data_no_empty):
    X, Y = data
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division by zero on empty rows
        off = Est(null_outcome=False, **TIGHT).fit(X, Y)
    without = Est(**TIGHT).fit(*data_no_empty)
    assert_allclose(off.coef_, without.coef_, atol=1e-6)
    with pytest.raises(ValueError, match="empty label set"):
        Est(null_outcome=False).fit(X, np.zeros_like(Y))


@pytest.mark.parametrize("Est", MULTILABEL)
def test_sparse_y_and_sparse_x(Est, data):
    X, Y = data
    dense = Est(**TIGHT).fit(X, Y)
    sparse = Est(**TIGHT).fit(sp.csr_matrix(X), sp.csr_matrix(Y))
    assert_allclose(sparse.coef_, dense.coef_, atol=1e-6)
    assert_array_equal(sparse.predict(sp.csr_matrix(X)), dense.predict(X))


def test_thresholds(data):
    X, Y = data
    soft = MultilabelSoftmaxRegression().fit(X, Y)
    P = soft.predict_proba(X)
    assert_array_equal(soft.predict(X), (P > 1 / 5).astype(Y.dtype))
    soft.set_params(threshold=0.3)
    assert_array_equal(soft.predict(X), (P > 0.3).astype(Y.dtype))
    # "auto" is 1 / n_labels for every loss; 0 is the support.
    for Sparse in (MultilabelSparsemaxRegression, MultilabelEntmaxRegression):
        sparse = Sparse().fit(X, Y)
        P = sparse.predict_proba(X)
        assert_array_equal(sparse.predict(X), P > 1 / 5)
        assert_array_equal(sparse.set_params(threshold=0).predict(X), P > 0)


def test_sparsemax_temperature_sets_the_set_size(data):
    X, Y = data
    clf = MultilabelSparsemaxRegression(null_outcome=False).fit(X, Y)
    sizes = [
        clf.set_params(temperature=T).predict(X).sum(axis=1).mean()
        for T in [0.2, 0.5, 1.0, 2.0, 5.0]
    ]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert min(clf.set_params(temperature=0.01).predict(X).sum(axis=1)) == 1


def test_predict_dtype_follows_y(data):
    X, Y = data
    for dtype in [np.int64, np.int32, np.float64, bool]:
        clf = MultilabelSparsemaxRegression().fit(X, Y.astype(dtype))
        assert clf.predict(X).dtype == dtype


def test_grid_search_over_prediction_parameters(data):
    X, Y = data
    search = GridSearchCV(
        make_pipeline(StandardScaler(), MultilabelSparsemaxRegression()),
        {
            "multilabelsparsemaxregression__temperature": [0.25, 0.5, 1.0, 2.0],
            "multilabelsparsemaxregression__threshold": [0.0, 0.1],
        },
        scoring="f1_micro",
        cv=3,
    ).fit(X, Y)
    scores = search.cv_results_["mean_test_score"]
    assert len(set(np.round(scores, 10))) > 4
    assert search.best_score_ > 0.6


@pytest.mark.parametrize("Est", MULTILABEL)
def test_bad_targets(Est, data):
    X, Y = data
    with pytest.raises(ValueError, match="indicator"):
        Est().fit(X, Y * 2)
    with pytest.raises(ValueError, match="threshold"):
        Est(threshold=1.5).fit(X, Y)
    with pytest.raises(ValueError, match="null_outcome"):
        Est(null_outcome="yes").fit(X, Y)
    with pytest.raises(ValueError, match="weighting"):
        Est(weighting="labels").fit(X, Y)


@pytest.mark.parametrize("Est", MULTILABEL)
def test_prediction_parameters_are_validated_at_prediction(Est, data):
    X, Y = data
    clf = Est().fit(X, Y)
    for threshold in (np.nan, -0.1, 1.5, "half"):
        clf.set_params(threshold=threshold)
        with pytest.raises(ValueError, match="'threshold' parameter"):
            clf.predict(X)
    clf.set_params(threshold="auto", temperature=np.nan)
    for method in (clf.predict, clf.predict_proba, clf.predict_empty_proba):
        with pytest.raises(ValueError, match="'temperature' parameter"):
            method(X)


@pytest.mark.parametrize("Est", MULTILABEL)
def test_constant_label_columns_warn(Est, data):
    X, Y = data
    Y = Y.copy()
    Y[:, 1], Y[:, 3] = 0, 1
    with pytest.warns(UserWarning, match=r"Label\(s\) \[1\] never occur") as record:
        Est().fit(X, Y)
    assert any("[3] occur in every sample" in str(w.message) for w in record)
    assert record[0].filename == __file__  # points at the caller


@pytest.mark.parametrize("Est", MULTILABEL)
def test_lists_of_labels_point_to_multilabel_binarizer(Est, data):
    X, _ = data
    y = [[0, 2], [1], [0, 1, 3]] * 100
    with pytest.raises(ValueError, match="MultiLabelBinarizer"):
        Est().fit(X, y)
    with pytest.raises(ValueError, match="MultiLabelBinarizer"):
        Est().fit(X[:2], [[0, 2], [1, 3]])  # rectangular, but labels, not 0/1


# --- class weights of labels --------------------------------------------------


@pytest.mark.parametrize("Multi, Single", PAIRS)
def test_label_weights_are_those_of_the_pick_all_labels_pairs(
    Multi, Single, data_no_empty
):
    # With weighting="label" a set is its pairs (sample, label); a label's
    # class weight weighs each of its pairs: the multiclass model fitted on
    # the pairs with sample weights w_k is the same model.
    X, Y = data_no_empty
    weights = {0: 0.5, 1: 2.0, 2: 1.0, 3: 3.0, 4: 0.25}
    rows, labels = np.nonzero(Y)
    pair_weight = np.vectorize(weights.get)(labels)
    pairs = Single(**TIGHT).fit(X[rows], labels, sample_weight=pair_weight)
    multi = Multi(class_weight=weights, weighting="label", **TIGHT).fit(X, Y)
    assert_allclose(multi.coef_, pairs.coef_, atol=1e-6)
    assert_allclose(multi.intercept_, pairs.intercept_, atol=1e-6)
    # weighting="sample": the mean weight of the set's labels, not the sum.
    sample = Multi(class_weight=weights, **TIGHT).fit(X, Y)
    set_mean = (Y * np.array(list(weights.values()))).sum(1) / Y.sum(1)
    by_hand = Multi(class_weight=weights, weighting="label", **TIGHT).fit(
        X, Y, sample_weight=1 / Y.sum(1)
    )
    assert_allclose(sample.coef_, by_hand.coef_, atol=1e-6)
    assert set_mean.min() < set_mean.max()


def test_balanced_and_uniform_label_weights(data, data_no_empty):
    # Uniform label weights c are sample weights c, i.e. C * c (as in
    # LogisticRegression: a weight k is k repetitions), where no set is empty
    # (the null outcome, like a class missing from the dict, weighs 1).
    plain = MultilabelSoftmaxRegression(C=3.0, **TIGHT).fit(*data_no_empty)
    uniform = MultilabelSoftmaxRegression(
        class_weight=dict.fromkeys(range(5), 3.0), **TIGHT
    ).fit(*data_no_empty)
    assert_allclose(uniform.coef_, plain.coef_, atol=1e-7)
    X, Y = data
    plain = MultilabelSoftmaxRegression(**TIGHT).fit(X, Y)
    p = Y.sum(axis=0)
    balanced = dict(enumerate(p.sum() / (5 * p)))
    a = MultilabelSparsemaxRegression(class_weight="balanced", **TIGHT).fit(X, Y)
    b = MultilabelSparsemaxRegression(class_weight=balanced, **TIGHT).fit(X, Y)
    assert_allclose(a.coef_, b.coef_, atol=1e-8)
    assert not np.allclose(a.coef_, plain.coef_, atol=1e-3)
    with pytest.raises(ValueError, match="not classes"):
        MultilabelSoftmaxRegression(class_weight={7: 1.0}).fit(X, Y)


def test_cv_balanced_label_weights_are_those_of_the_whole_y(data):
    from sklearn.model_selection import KFold

    from sklearn_softmax import MultilabelSparsemaxRegressionCV

    X, Y = data
    p = Y.sum(axis=0)
    weights = dict(enumerate(p.sum() / (5 * p)))
    cv = KFold(3, shuffle=True, random_state=0)
    a = MultilabelSparsemaxRegressionCV(Cs=3, cv=cv, class_weight="balanced")
    b = MultilabelSparsemaxRegressionCV(Cs=3, cv=cv, class_weight=weights)
    assert_allclose(a.fit(X, Y).scores_, b.fit(X, Y).scores_)
