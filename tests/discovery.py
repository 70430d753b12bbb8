"""The public estimators, found in ``sklearn_softmax.__all__`` (as scikit-learn's
``all_estimators``): a new estimator is checked by every common test the day
it is exported."""

import inspect

from sklearn.base import BaseEstimator

import sklearn_softmax


def public_estimators():
    """Public estimator classes, sorted by name."""
    return [
        obj
        for name in sorted(sklearn_softmax.__all__)
        if inspect.isclass(obj := getattr(sklearn_softmax, name))
        and issubclass(obj, BaseEstimator)
    ]
