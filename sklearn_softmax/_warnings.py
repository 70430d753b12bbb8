"""Where a warning raised inside the package points: the user's call."""

import os
import sys

__all__ = ["user_stacklevel"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_FIT_CONTEXT_FILE = os.path.join("sklearn", "base.py")  # @_fit_context's wrapper


def user_stacklevel():
    """``stacklevel`` for a warning raised by the caller of this function: the
    first frame outside this package (and scikit-learn's fit wrapper), whatever
    the path (fit, a CV fold, a dask fit) that led there."""
    frame, level = sys._getframe(2), 2
    while frame is not None and (
        frame.f_code.co_filename.startswith(_PACKAGE_DIR)
        or frame.f_code.co_filename.endswith(_FIT_CONTEXT_FILE)
    ):
        frame, level = frame.f_back, level + 1
    return level
