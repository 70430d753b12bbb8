"""How the package is put together: the import graph and the optional dask."""

import ast
import subprocess
import sys
from pathlib import Path

import sklearn_softmax

PACKAGE = Path(sklearn_softmax.__file__).parent


def import_graph():
    """module -> modules of the package it imports (anywhere in the file,
    function-level imports included)."""
    graph = {}
    for path in PACKAGE.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    deps.add(node.module.split(".")[0])
                else:
                    deps.update(alias.name for alias in node.names)
        graph[path.stem] = deps & {p.stem for p in PACKAGE.glob("*.py")}
    return graph


def test_import_graph_has_no_cycle():
    graph = import_graph()
    state = {}

    def visit(module, path):
        if state.get(module) == "done":
            return
        assert state.get(module) != "open", f"import cycle: {' -> '.join(path)}"
        state[module] = "open"
        for dep in graph[module]:
            visit(dep, [*path, dep])
        state[module] = "done"

    for module in graph:
        visit(module, [module])
    # The leaf modules import nothing above them.
    assert graph["_targets"] <= {"_warnings"}
    # The dask fit supplies its data and their evaluation; the fit is fit_path.
    assert graph["_dask"] == {"_targets", "_solver"}


def test_dask_and_numba_are_imported_only_when_needed():
    code = (
        "import sys; import numpy as np; "
        "from sklearn_softmax import SoftmaxRegression, MultilabelSoftmaxRegressionCV; "
        "X = np.random.default_rng(0).normal(size=(60, 3)); "
        "clf = SoftmaxRegression().fit(X, np.arange(60) % 3); clf.predict_proba(X); "
        "Y = np.eye(3, dtype=int)[np.arange(60) % 3] | (X > 1); "
        "MultilabelSoftmaxRegressionCV(Cs=2, cv=2).fit(X, Y); "
        "assert not any(m == 'dask' or m.startswith('dask.') for m in sys.modules); "
        "assert 'sklearn_softmax._dask' not in sys.modules; "
        # numba (a third of a second to import) waits for the first sparsemax.
        "assert 'numba' not in sys.modules"
    )
    subprocess.run([sys.executable, "-W", "ignore", "-c", code], check=True)
