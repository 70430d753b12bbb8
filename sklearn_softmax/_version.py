"""The library's version, in a leaf module: the estimators store it in their
pickles, and ``pyproject.toml`` reads it from here."""

__version__ = "0.3.0.dev0"
