"""The one module that touches scikit-learn's private API (supported: >= 1.6).

Everything else in the package imports these names from here, so that a change
in scikit-learn's internals is mended in one place.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)

__all__ = ["Interval", "StrOptions", "_fit_context", "validate_parameter_constraints"]
