"""numpydoc validation of every public name's docstring."""

import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

from discovery import public_estimators  # noqa: E402

from sklearn_softmax import datasets, functional, losses  # noqa: E402

# Checks left out, for every name: see-also sections (SA01), extended summaries
# (ES01) and examples on every method (EX01) are not required; return values
# are named as in scikit-learn ("self : object", RT02); GL08 is checked
# by hand below (inherited scikit-learn methods carry their own docstrings).
IGNORED = {"SA01", "ES01", "EX01", "GL08", "RT02"}

ESTIMATORS = public_estimators()
METHODS = [
    "fit",
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "predict_empty_proba",
]


def public_names():
    for est in ESTIMATORS:
        yield f"{est.__module__}.{est.__qualname__}", est
        for method in METHODS:
            if hasattr(est, method):
                yield (
                    f"{est.__module__}.{est.__qualname__}.{method}",
                    getattr(est, method),
                )
    for module in (functional, losses, datasets):
        for name in module.__all__:
            obj = getattr(module, name)
            yield f"{module.__name__}.{name}", obj
            if inspect.isclass(obj):
                for method in (
                    "loss_gradient",
                    "predict_proba",
                    "predict_log_proba",
                ):
                    yield f"{module.__name__}.{name}.{method}", getattr(obj, method)


NAMES = dict(public_names())


@pytest.mark.parametrize("name", sorted(NAMES))
def test_docstring(name):
    obj = NAMES[name]
    assert inspect.getdoc(obj), f"{name} has no docstring"
    result = numpydoc_validate.validate(name)
    errors = [(code, msg) for code, msg in result["errors"] if code not in IGNORED]
    assert not errors, "\n".join(f"{code}: {msg}" for code, msg in errors)


def test_every_public_estimator_is_found():
    # Discovery finds the estimators (and nothing else) of sklearn_softmax.__all__.
    assert len(ESTIMATORS) >= 4
    assert {"SoftmaxRegression", "MultilabelSparsemaxRegression"} <= {
        e.__name__ for e in ESTIMATORS
    }
