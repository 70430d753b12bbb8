import os

# scikit-learn's check_array_api_input (run here with the NumPy namespace) is
# skipped unless SciPy's array API support is on; it must be set before SciPy
# is first imported.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
