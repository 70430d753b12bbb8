"""What the benchmark scripts share: machine description, timing, tables."""

import contextlib
import datetime
import os
import platform
import statistics
import time

import numpy as np
import scipy
import sklearn
from threadpoolctl import threadpool_info


def machine():
    """One line: CPU, cores, versions, BLAS pools and their threads, load."""
    blas = "; ".join(
        f"{i['internal_api']} {i.get('version')} {i.get('architecture', '')} "
        f"{os.path.basename(os.path.dirname(i['filepath']))} "
        f"{i['num_threads']} thr"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy "
        f"{scipy.__version__}, scikit-learn {sklearn.__version__}; BLAS: {blas}; "
        f"load average {load}; {datetime.datetime.now():%Y-%m-%d %H:%M}"
    )


def interleaved_times(functions, repeats):
    """Run ``functions`` (name -> callable) in turn, ``repeats`` times.

    Interleaving spreads any drift of the machine's load over all of them.
    Returns name -> list of seconds, and name -> the last return value.
    """
    times = {name: [] for name in functions}
    results = {}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            results[name] = function()
            times[name].append(time.perf_counter() - start)
    return times, results


def median(values):
    return statistics.median(values)


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


@contextlib.contextmanager
def numpy_path():
    """The NumPy sparsemax path for a while, even where numba is installed
    (what ``SKLEARN_SOFTMAX_NUMBA=0`` gives a whole process)."""
    from sklearn_softmax import _numba

    compiled = _numba.threshold_rows, _numba.project_rows
    _numba.threshold_rows = _numba.project_rows = None
    try:
        yield
    finally:
        _numba.threshold_rows, _numba.project_rows = compiled
