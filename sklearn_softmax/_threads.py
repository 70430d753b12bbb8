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
from threadpoolctl import ThreadpoolController

__all__ = ["data_threads", "scipy_blas_single_threaded"]


@functools.cache
def _scipy_own_blas():
    """threadpoolctl controller of the BLAS that SciPy bundles, if it has its own.

    SciPy's wheels ship a BLAS of their own (in ``scipy.libs``), separate from
    NumPy's. L-BFGS-B runs on SciPy's, the objective's products on NumPy's.
    With both pools at 2 threads on a 2-core machine, the idle pool's threads
    spin while the other works: a scene fit took 0.80 s, against 0.15 s with
    SciPy's pool at 1 thread (NumPy's left alone) and 0.21 s with both at 1.
    Returns None where SciPy and NumPy share one BLAS (nothing to separate).
    """
    scipy_dir = os.path.dirname(os.path.dirname(scipy.__file__))
    own = [
        lib
        for lib in ThreadpoolController().lib_controllers
        if lib.user_api == "blas"
        and os.path.dirname(lib.filepath).startswith(
            (os.path.join(scipy_dir, "scipy.libs"), os.path.dirname(scipy.__file__))
        )
    ]
    if not own:
        return None
    return ThreadpoolController().select(filepath=[lib.filepath for lib in own])


def scipy_blas_single_threaded():
    """Context: SciPy's own BLAS at one thread (L-BFGS-B's small vector work)."""
    controller = _scipy_own_blas()
    if controller is None:
        return contextlib.nullcontext()
    return controller.limit(limits=1)


@functools.cache
def _numpy_blas():
    """NumPy's BLAS controllers, found once per process (finding them scans the
    loaded libraries: about 5 ms, as long as a whole small fit)."""
    numpy_dir = os.path.dirname(os.path.dirname(np.__file__))
    return [
        lib
        for lib in ThreadpoolController().lib_controllers
        if lib.user_api == "blas"
        and os.path.dirname(lib.filepath).startswith(
            (os.path.join(numpy_dir, "numpy.libs"), os.path.dirname(np.__file__))
        )
    ]


def data_threads():
    """Threads for the objective's own parallel work (sparse products).

    The thread count of NumPy's BLAS, read at each call, so that
    ``threadpoolctl`` limits set by the user (or by joblib in a worker) apply
    here too.
    """
    counts = [lib.num_threads for lib in _numpy_blas()]
    return max(counts) if counts else max(1, os.cpu_count() or 1)
