"""One fit behaviour for every input kind: numpy and dask run the same path.

Each test fits through ``fit_on(kind, ...)``, which passes the data as NumPy
arrays or as dask arrays in uneven row blocks (dask's local scheduler), and
compares with the in-memory fit: every fitted attribute, the warnings and
the errors must be the same.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from sklearn_softmax import (
    EntmaxRegression,
    MultilabelEntmaxRegression,
    MultilabelSoftmaxRegression,
    MultilabelSparsemaxRegression,
    SoftmaxRegression,
    SparsemaxRegression,
)

KINDS = ["numpy", "dask"]
TIGHT = dict(tol=1e-10, max_iter=2000)
MULTICLASS = [
    SoftmaxRegression(**TIGHT),
    SparsemaxRegression(**TIGHT),
    EntmaxRegression(alpha=1.5, **TIGHT),
]
MULTILABEL = [
    MultilabelSoftmaxRegression(**TIGHT),
    MultilabelSparsemaxRegression(**TIGHT),
    MultilabelEntmaxRegression(alpha=1.25, **TIGHT),
]


def as_kind(kind, a, chunk=130):
    """``a`` as the input kind: unchanged, or a dask array of uneven blocks."""
    if a is None or kind == "numpy":
        return a
    da = pytest.importorskip("dask.array")
    a = np.asarray(a)
    return da.from_array(a, chunks=(chunk,) + a.shape[1:])


def fit_on(kind, estimator, X, y, sample_weight=None, **fit_params):
    return estimator.fit(
        as_kind(kind, X),
        as_kind(kind, y),
        sample_weight=as_kind(kind, sample_weight),
        **fit_params,
    )


def fitted_attributes(estimator):
    return {
        name: value
        for name, value in vars(estimator).items()
        if name.endswith("_") and not name.startswith("__")
    }


def assert_same_fit(fitted, reference, atol=1e-7):
    got, expected = fitted_attributes(fitted), fitted_attributes(reference)
    assert got.keys() == expected.keys()
    for name, value in expected.items():
        if np.asarray(value).dtype.kind == "f":
            assert np.asarray(got[name]).dtype == np.asarray(value).dtype, name
            assert_allclose(got[name], value, atol=atol, err_msg=name)
        elif name == "n_iter_":
            assert got[name].shape == value.shape == (1,)
        elif isinstance(value, np.ndarray):
            assert_array_equal(got[name], value, err_msg=name)
        else:
            assert got[name] == value, name


def outcome(kind, estimator, X, y, **kwargs):
    """What a fit does: the warnings it emits and the error it raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit_on(kind, clone(estimator), X, y, **kwargs)
            error = None
        except ValueError as e:
            error = str(e)
    return error, sorted({(w.category.__name__, str(w.message)) for w in caught})


@pytest.fixture(scope="module")
def multiclass():
    X, y = make_classification(
        n_samples=600, n_features=6, n_informative=4, n_classes=3, random_state=0
    )
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def multilabel():
    X, Y = make_multilabel_classification(
        n_samples=500, n_features=6, n_classes=4, random_state=0
    )
    assert (Y.sum(axis=1) == 0).any()
    return StandardScaler().fit_transform(X), Y


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("estimator", MULTICLASS, ids=repr)
@pytest.mark.parametrize(
    "class_weight", [None, "balanced", {0: 2.0, 1: 0.5}], ids=["none", "bal", "dict"]
)
def test_class_and_sample_weights(kind, estimator, class_weight, multiclass):
    X, y = multiclass
    sw = np.random.default_rng(0).random(len(y)) * 2
    estimator = clone(estimator).set_params(class_weight=class_weight)
    reference = clone(estimator).fit(X, y, sample_weight=sw)
    assert_same_fit(fit_on(kind, clone(estimator), X, y, sw), reference)


@pytest.mark.parametrize("kind", KINDS)
def test_balanced_weights_use_sample_weights(kind, multiclass):
    # "balanced" with weights is "balanced" on the repeated data.
    X, y = multiclass
    sw = np.random.default_rng(1).integers(0, 3, size=len(y))
    estimator = SoftmaxRegression(class_weight="balanced", **TIGHT)
    weighted = fit_on(kind, clone(estimator), X, y, sw)
    repeated = clone(estimator).fit(np.repeat(X, sw, axis=0), np.repeat(y, sw))
    assert_allclose(weighted.coef_, repeated.coef_, atol=1e-7)


@pytest.mark.parametrize("kind", KINDS)
def test_binary_with_classes_up_front(kind, multiclass):
    X, y = multiclass
    y = np.where(y < 2, "a", "b")
    reference = SparsemaxRegression(**TIGHT).fit(X, y)
    fitted = fit_on(kind, SparsemaxRegression(**TIGHT), X, y, classes=["b", "a"])
    assert fitted.coef_.shape == (1, X.shape[1])
    assert_same_fit(fitted, reference)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("estimator", MULTICLASS[:1] + MULTILABEL[1:], ids=repr)
def test_warm_start(kind, estimator, multiclass, multilabel):
    X, y = multilabel if "Multilabel" in repr(estimator) else multiclass
    estimator = clone(estimator).set_params(warm_start=True, tol=1e-6)
    reference = clone(estimator).fit(X, y)
    first = reference.n_iter_[0]
    reference.fit(X, y)
    fitted = fit_on(kind, clone(estimator), X, y)
    fit_on(kind, fitted, X, y)
    assert fitted.n_iter_[0] == reference.n_iter_[0] < first / 2
    assert_same_fit(fitted, reference, atol=1e-6)


@pytest.mark.parametrize("estimator", MULTICLASS[:1] + MULTILABEL[:1], ids=repr)
def test_same_start_point(estimator, multiclass, multilabel):
    # Softmax starts from the weighted log mean target: after one iteration
    # (a fit stopped early) both paths must stand at the same point.
    X, y = multilabel if "Multilabel" in repr(estimator) else multiclass
    sample_weight = np.linspace(0.2, 3.0, len(y))
    estimator = clone(estimator).set_params(max_iter=1)
    with pytest.warns(ConvergenceWarning):
        reference = clone(estimator).fit(X, y, sample_weight=sample_weight)
        fitted = fit_on("dask", clone(estimator), X, y, sample_weight)
    assert_same_fit(fitted, reference, atol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("estimator", MULTILABEL, ids=repr)
@pytest.mark.parametrize("weighting", ["sample", "label"])
@pytest.mark.parametrize("null_outcome", ["auto", False])
def test_multilabel_with_empty_rows(
    kind, estimator, weighting, null_outcome, multilabel
):
    X, Y = multilabel
    estimator = clone(estimator).set_params(
        weighting=weighting, null_outcome=null_outcome
    )
    reference = clone(estimator).fit(X, Y)
    fitted = fit_on(kind, clone(estimator), X, Y)
    assert fitted.null_outcome_ is reference.null_outcome_ is (null_outcome == "auto")
    assert_same_fit(fitted, reference, atol=1e-6)


@pytest.mark.parametrize("estimator", MULTICLASS + MULTILABEL, ids=repr)
def test_predictions_on_dask_are_lazy_and_equal(estimator, multiclass, multilabel):
    da = pytest.importorskip("dask.array")
    X, y = multilabel if "Multilabel" in repr(estimator) else multiclass
    fitted = clone(estimator).fit(X, y)
    X_d = as_kind("dask", X)
    methods = ["predict", "predict_proba", "predict_log_proba", "decision_function"]
    if hasattr(fitted, "predict_empty_proba"):
        methods.append("predict_empty_proba")
    for method in methods:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # log(0) in the sample
            lazy = getattr(fitted, method)(X_d)
        assert isinstance(lazy, da.Array)
        assert lazy.numblocks[0] == X_d.numblocks[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            assert_allclose(lazy.compute(), getattr(fitted, method)(X), atol=1e-12)


@pytest.mark.parametrize("kind", ["pandas", "dask"])
def test_feature_names(kind, multiclass):
    pd = pytest.importorskip("pandas")
    X, y = multiclass
    names = [f"f{j}" for j in range(X.shape[1])]
    frame = pd.DataFrame(X, columns=names)
    if kind == "dask":
        dd = pytest.importorskip("dask.dataframe")
        frame = dd.from_pandas(frame, npartitions=3)
    fitted = SoftmaxRegression().fit(frame, y)
    assert_array_equal(fitted.feature_names_in_, names)
    assert fitted.n_features_in_ == X.shape[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitted.predict(frame)
        fitted.predict(pd.DataFrame(X, columns=names))
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        fitted.predict(as_kind(kind, X))
    assert_allclose(fitted.coef_, SoftmaxRegression().fit(X, y).coef_, atol=1e-7)
    # A refit on an array forgets the names.
    assert not hasattr(fitted.fit(as_kind(kind, X), y), "feature_names_in_")


BAD_FITS = {
    "absent balanced class": (
        SoftmaxRegression(class_weight="balanced"),
        "multiclass",
        dict(classes=[0, 1, 2, 3]),
    ),
    "label not in classes": (SoftmaxRegression(), "multiclass", dict(classes=[0, 1])),
    "2-D y": (SparsemaxRegression(), "multilabel", {}),
    "negative class weight": (
        SoftmaxRegression(class_weight={0: -1.0}),
        "multiclass",
        {},
    ),
    "nan class weight": (
        SoftmaxRegression(class_weight={0: np.nan}),
        "multiclass",
        {},
    ),
    "non-binary indicator": (MultilabelSoftmaxRegression(), "counts", {}),
    "no positive weight": (
        MultilabelSparsemaxRegression(null_outcome=False),
        "multilabel",
        dict(sample_weight="empty rows only"),
    ),
    "negative sample weight": (
        SoftmaxRegression(),
        "multiclass",
        dict(sample_weight=-1),
    ),
    "column-vector y": (SoftmaxRegression(), "column", {}),
    "constant labels": (MultilabelSoftmaxRegression(), "constant labels", {}),
    "NaN in X": (SparsemaxRegression(), "nan X", {}),
    "inf in X": (SparsemaxRegression(), "inf X", {}),
}


@pytest.mark.parametrize("case", sorted(BAD_FITS))
def test_same_errors_and_warnings(case, multiclass, multilabel):
    pytest.importorskip("dask.array")
    estimator, data, kwargs = BAD_FITS[case]
    X, y = multiclass
    if data == "multilabel":
        X, y = multilabel
    elif data == "counts":
        y = np.stack([y, y % 2], axis=1)
    elif data in ("nan X", "inf X"):
        X = X.copy()
        X[300, 2] = np.nan if data == "nan X" else np.inf
    elif data == "column":
        y = y[:, None]
    elif data == "constant labels":
        y = np.stack([y == 0, np.ones_like(y), np.zeros_like(y)], axis=1).astype(int)
    kwargs = dict(kwargs)
    if kwargs.get("sample_weight") == "empty rows only":
        kwargs["sample_weight"] = (y.sum(axis=1) == 0).astype(float)
    elif kwargs.get("sample_weight") == -1:
        kwargs["sample_weight"] = np.where(np.arange(len(y)) == 7, -1.0, 1.0)
    expected = outcome("numpy", estimator, X, y, **kwargs)
    assert expected[0] is not None or expected[1], "the case must fail or warn"
    assert outcome("dask", estimator, X, y, **kwargs) == expected
