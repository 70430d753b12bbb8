"""Time of sparsemax against softmax (ours and scipy.special's).

    python benchmarks/bench_transforms.py [--quick] [--repeats 5] [--threads 2]

Arrays of 2M logits (n_rows x K) for K in {3, 10, 100, 1,000, 10,000}, drawn
from a normal distribution of small spread (sd 0.1: large sparsemax supports,
all 3 classes at K=3, about 30 at K=10,000), sd 3, and large spread (sd 10:
supports of 1 or 2), float64; the table gives the mean support size. The
"NumPy path" columns time the same call without the compiled kernel (what an
install without numba, or ``SKLEARN_SOFTMAX_NUMBA=0``, runs).
Interleaved repeats, medians. If the PyTorch package ``entmax`` is importable
its ``sparsemax`` is timed too, with torch at the same thread count.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import scipy.special
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import (  # noqa: E402
    interleaved_times,
    machine,
    markdown_table,
    median,
    numpy_path,
)

from sklearn_softmax import _numba  # noqa: E402
from sklearn_softmax.functional import softmax, sparsemax, sparsemax_threshold  # noqa: E402


def numpy_sparsemax(Z):
    """sparsemax through the NumPy path even where numba is installed."""
    with numpy_path():
        return sparsemax(Z)


def entmax_sparsemax(threads):
    try:
        import torch
        from entmax import sparsemax as torch_sparsemax
    except ImportError:
        return None
    torch.set_num_threads(threads)

    def run(Z):
        return torch_sparsemax(torch.from_numpy(Z), dim=-1).numpy()

    return run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="400k logits, 1 repeat")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    size = 400_000 if args.quick else 2_000_000
    repeats = 1 if args.quick else args.repeats
    peer = entmax_sparsemax(args.threads)

    rows = []
    sparsemax(np.zeros((2, 3)))  # compile the numba kernel outside the timings
    with threadpool_limits(limits=args.threads):
        print(machine(), flush=True)
        for K in (3, 10, 100, 1_000, 10_000):
            for spread in (0.1, 3.0, 10.0):
                Z = np.random.default_rng(K).normal(scale=spread, size=(size // K, K))
                functions = {
                    "sparsemax": lambda Z=Z: sparsemax(Z),
                    "numpy": lambda Z=Z: numpy_sparsemax(Z),
                    "softmax": lambda Z=Z: softmax(Z),
                    "scipy": lambda Z=Z: scipy.special.softmax(Z, axis=-1),
                }
                if peer is not None:
                    functions["entmax"] = lambda Z=Z: peer(Z)
                times, results = interleaved_times(functions, repeats)
                t = {name: median(values) for name, values in times.items()}
                support = float(np.mean(sparsemax_threshold(Z)[1]))
                row = [
                    K,
                    spread,
                    f"{support:.1f}",
                    f"{1e3 * t['sparsemax']:.1f}",
                    f"{1e3 * t['softmax']:.1f}",
                    f"{1e3 * t['scipy']:.1f}",
                    f"**{t['sparsemax'] / t['softmax']:.2f}**",
                    f"{1e3 * t['numpy']:.1f}",
                    f"{t['numpy'] / t['softmax']:.2f}",
                    f"{t['sparsemax'] / t['numpy']:.2f}",
                    f"{t['softmax'] / t['scipy']:.2f}",
                ]
                if peer is not None:
                    np.testing.assert_allclose(
                        results["entmax"], results["sparsemax"], atol=1e-10
                    )
                    row.append(f"{t['sparsemax'] / t['entmax']:.2f}")
                print("  " + " | ".join(str(c) for c in row), flush=True)
                rows.append(row)
    header = [
        "K",
        "logit sd",
        "mean support",
        "sparsemax (ms)",
        "softmax (ms)",
        "scipy softmax (ms)",
        "sparsemax / softmax",
        "NumPy-path sparsemax (ms)",
        "NumPy-path / softmax",
        "compiled / NumPy path",
        "softmax / scipy",
    ]
    if peer is not None:
        header.append("sparsemax / entmax")
    print()
    engine = "numba" if _numba.threshold_rows is not None else "NumPy (numba absent)"
    print(
        f"{size:,} logits per array, float64, {repeats} interleaved repeats, medians; "
        f"sparsemax threshold: {engine}"
    )
    print()
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
