"""The one module that touches scikit-learn's private API (supported: >= 1.6).

Everything else in the package imports these names from here, so that a change
in scikit-learn's internals is mended in one place.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight as _compute_class_weight

__all__ = ["Interval", "StrOptions", "_fit_context", "compute_class_weight"]


def compute_class_weight(class_weight, *, classes, y, sample_weight):
    """``sklearn.utils.class_weight.compute_class_weight`` across versions.

    scikit-learn >= 1.7 lets ``"balanced"`` account for ``sample_weight``, as
    ``LogisticRegression`` does; 1.6 has no such argument.
    """
    try:
        return _compute_class_weight(
            class_weight, classes=classes, y=y, sample_weight=sample_weight
        )
    except TypeError:  # scikit-learn 1.6
        return _compute_class_weight(class_weight, classes=classes, y=y)
