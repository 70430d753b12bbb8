"""What the benchmark scripts share: machine description, timing, tables."""

import contextlib
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_info

ROOT = Path(__file__).resolve().parents[1]


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


def interleaved_times(functions, repeats, pause=0.15):
    """Run ``functions`` (name -> callable) in turn, ``repeats`` times.

    Interleaving spreads any drift of the machine's load over all of them,
    and the order rotates by one at each repeat. Each call waits ``pause``
    seconds first, so that it does not share the processor with the BLAS
    threads that the one before left spinning (OpenBLAS's threads spin for
    about 0.1 s after a call): a fit right after one-vs-rest logistic
    regression took 25% longer without the pause (the sparse stand-in,
    softmax at C=0.01: 0.22-0.24 against 0.17-0.18 s on either path), 0-5%
    with 0.1 to 0.5 s.
    Returns name -> list of seconds, and name -> the last return value.
    """
    times = {name: [] for name in functions}
    results = {}
    names = list(functions)
    for repeat in range(repeats):
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            function = functions[name]
            time.sleep(pause)
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

    names = ("threshold_rows", "project_rows", "dense_objective", "entmax_rows")
    compiled = [getattr(_numba, name) for name in names]
    for name in names:
        setattr(_numba, name, None)
    try:
        yield
    finally:
        for name, kernel in zip(names, compiled, strict=True):
            setattr(_numba, name, kernel)


def counting_convergence_warnings(fit):
    """``fit()``'s result and the number of ConvergenceWarnings it raised
    (counted, not hidden: a benchmark row reports them)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        result = fit()
    return result, sum(issubclass(w.category, ConvergenceWarning) for w in caught)


def run_child(code, env=None):
    """Run ``code`` in a fresh Python process at the repository's root (the
    checkout's package importable); return the JSON its last line prints."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])
