"""Thread pools during a fit: which BLAS runs on how many threads, and why.

A fit uses two BLAS libraries where SciPy's wheels bundle their own: NumPy's
for the objective's products and SciPy's inside L-BFGS-B. Their settings are
part of the fit's design (measured, ``benchmarks/bench_fit.py``), not left to
chance.
"""

import contextlib
import functools
import os

import numpy as np
import scipy
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

__all__ = ["data_threads", "scipy_blas_single_threaded", "small_fit_single_threaded"]

# Up to this many multiply-adds per product (n_samples * n_features *
# n_outputs), a fit's dense products run on one thread of NumPy's BLAS.
# Such a fit lasts about as long as another library's idle BLAS threads keep
# spinning after its last call (about 0.1 s; OpenBLAS's default), and a
# two-threaded product sharing a core with a spinner takes twice as long as
# on one thread. MULAN scene (1211 x 294, 6 labels), softmax right after a
# OneVsRestClassifier(LogisticRegression()) fit: 147 ms on two threads,
# 72 ms on one; alone, one thread is 1.0-1.2x two (1.0-1.3x per evaluation
# from 150 x 4 to 3,000 x 300; 1.4x at 5,000 x 200 x 10, which stays above).
_SINGLE_THREAD_MAX_WORK = 4_000_000


def _bundled_blas(package):
    """threadpoolctl controller of the BLAS libraries that ``package``'s wheel
    bundles (in ``<name>.libs`` beside it, or inside it); empty if none."""
    package_dir = os.path.dirname(package.__file__)
    libs_dir = os.path.join(
        os.path.dirname(package_dir), os.path.basename(package_dir) + ".libs"
    )
    controller = ThreadpoolController()
    return controller.select(
        filepath=[
            lib.filepath
            for lib in controller.lib_controllers
            if lib.user_api == "blas"
            and os.path.dirname(lib.filepath).startswith((libs_dir, package_dir))
        ]
    )


@functools.cache
def _scipy_own_blas():
    """threadpoolctl controller of the BLAS that SciPy bundles, if it has its own.

    SciPy's wheels ship a BLAS of their own (in ``scipy.libs``), separate from
    NumPy's. L-BFGS-B runs on SciPy's, the objective's products on NumPy's.
    With both pools at 2 threads on a 2-core machine, the idle pool's threads
    spin while the other works: a scene fit took 0.80 s, against 0.15 s with
    SciPy's pool at 1 thread (NumPy's left alone) and 0.21 s with both at 1.
    Empty where SciPy and NumPy share one BLAS (nothing to separate).
    """
    return _bundled_blas(scipy)


def scipy_blas_single_threaded():
    """Context: SciPy's own BLAS at one thread (L-BFGS-B's small vector work)."""
    return _scipy_own_blas().limit(limits=1)


@functools.cache
def _numpy_blas():
    """threadpoolctl controller of NumPy's BLAS, found once per process
    (finding it scans the loaded libraries: about 5 ms, as long as a whole
    small fit)."""
    return _bundled_blas(np)


def small_fit_single_threaded(X, n_outputs):
    """Context: NumPy's BLAS at one thread for the fit of a small dense ``X``
    with ``n_outputs`` logit columns (see ``_SINGLE_THREAD_MAX_WORK``);
    nothing for a larger or sparse one."""
    work = X.shape[0] * X.shape[1] * n_outputs
    if sp.issparse(X) or work > _SINGLE_THREAD_MAX_WORK:
        return contextlib.nullcontext()
    return _numpy_blas().limit(limits=1)


def data_threads():
    """Threads for the objective's own parallel work (sparse products).

    The thread count of NumPy's BLAS, read at each call, so that
    ``threadpoolctl`` limits set by the user (or by joblib in a worker) apply
    here too.
    """
    counts = [lib.num_threads for lib in _numpy_blas().lib_controllers]
    return max(counts) if counts else max(1, os.cpu_count() or 1)
