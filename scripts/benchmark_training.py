"""Benchmark of the course's heaviest cell: training the 4-layer cat classifier.

Measured in one run, with one BLAS thread (OPENBLAS_NUM_THREADS=1, as the course's graders run):

1. the reference trainer (``helpers.reference.deep_network.L_layer_model``) on the cat photos,
   layer dims [12288, 20, 7, 5, 1], 2500 iterations, learning rate 0.0075;
2. the floor set by its two large matrix products, alone, for the same number of iterations:
   ``W1 @ X`` (forward) and ``dZ1 @ X.T`` (for dW1), with arrays of the trainer's shapes and
   memory layout. Half of them run just before the training and half just after, so that a
   change in the machine's load affects both sides alike;
3. the ratio of the two (target: 1.15 or less; everything else an iteration does costs little);
4. the autograde time of 07_deep_network and 08_cat_classifier for the solutions student, in a
   temporary copy of the course: nbgrader alone (``helpers.grading.autograde_one``), then the
   course's whole grading of one submission (``helpers.classgrader``: sandboxed kernel and
   trusted re-check).

    python scripts/benchmark_training.py                    # everything
    python scripts/benchmark_training.py --repeat 3         # 3 rounds, the quietest reported (busy machine)
    python scripts/benchmark_training.py --no-autograde     # 1-3 only
"""

from __future__ import annotations

import os

# One BLAS thread, set before numpy loads OpenBLAS: the graders run the same way, and two
# processes sharing the cores with several threads each slow down badly.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from helpers import data  # noqa: E402
from helpers.reference import deep_network as reference  # noqa: E402

LAYERS_DIMS = [12288, 20, 7, 5, 1]
TARGET_RATIO = 1.15
ASSIGNMENTS = ["07_deep_network", "08_cat_classifier"]


def cat_inputs():
    """X (12288, 209) and Y (1, 209), flattened and divided by 255 exactly as in 08."""
    train_x_orig, train_y, _, _, _ = data.load_cat_data()
    return train_x_orig.reshape(train_x_orig.shape[0], -1).T / 255.0, train_y


def products_alone(X, iterations: int) -> float:
    """Seconds for `iterations` times the two large products of an iteration, nothing else."""
    rng = np.random.RandomState(0)
    W1 = rng.randn(LAYERS_DIMS[1], X.shape[0]) / np.sqrt(X.shape[0])    # (20, 12288), as trained
    dZ1 = rng.randn(LAYERS_DIMS[1], X.shape[1]) / X.shape[1]             # (20, 209)
    started = time.perf_counter()
    for _ in range(iterations):
        W1 @ X                        # forward: Z1 = W1 X
        dZ1 @ X.T                     # backward: dW1 = (dZ1 / m) X^T
    return time.perf_counter() - started


def training(X, Y, iterations: int) -> tuple[float, list]:
    started = time.perf_counter()
    _, costs = reference.L_layer_model(X, Y, LAYERS_DIMS, learning_rate=0.0075, num_iterations=iterations)
    return time.perf_counter() - started, costs


def measure(X, Y, iterations: int) -> tuple[float, float, list]:
    """(training seconds, products seconds, costs): products split before and after training."""
    products_alone(X, 20)                                   # warm-up: BLAS buffers, caches,
    training(X, Y, 50)                                      # the allocator's arenas
    before = products_alone(X, iterations // 2)
    train_seconds, costs = training(X, Y, iterations)
    after = products_alone(X, iterations - iterations // 2)
    return train_seconds, before + after, costs


def autograde_times(log=print) -> None:
    """Autograde the solutions of 07 and 08 in a temporary course copy: nbgrader alone, then the
    course's whole grading pipeline (``helpers.classgrader``: sandboxed kernel and trusted re-check)."""
    from helpers import grading, submissions

    with tempfile.TemporaryDirectory() as scratch:
        course = grading.make_course_copy(ROOT, Path(scratch) / "course", ASSIGNMENTS)
        for assignment in ASSIGNMENTS:
            submissions.place(course, submissions.SOLUTIONS_STUDENT, assignment,
                              submissions.solutions_notebook(course, assignment))
        for assignment in ASSIGNMENTS:
            grading.sync_gradebook(course, assignment)
            outcome = grading.autograde_one(course, submissions.SOLUTIONS_STUDENT, assignment, feedback=False)
            log(f"  nbgrader autograde   {assignment:<18} solutions student: {outcome.seconds:6.1f} s  "
                f"(score {_score(outcome)}; kernel start-up included)")
        try:
            from helpers import classgrader
        except ImportError:
            return
        for assignment in ASSIGNMENTS:
            started = time.perf_counter()
            outcomes = classgrader.grade_class(course, [assignment], feedback=False, log=lambda *_: None,
                                               progress=False, backend="serial", regrade=True)
            seconds = time.perf_counter() - started
            log(f"  course grading (all) {assignment:<18} solutions student: {seconds:6.1f} s  "
                f"(score {_score(outcomes[0])}; sandboxed nbgrader run and trusted re-check)")


def _score(outcome) -> str:
    return "not graded" if outcome.score is None else f"{outcome.score:g}/{outcome.max_score:g}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the reference training of the cat classifier.")
    parser.add_argument("--iterations", type=int, default=2500, help="training iterations (default 2500)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure this many rounds and report the quietest (least total time)")
    parser.add_argument("--no-autograde", action="store_true", help="skip the autograde timings")
    args = parser.parse_args(argv)

    X, Y = cat_inputs()
    print(f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']} (one BLAS thread, as the graders run); "
          f"numpy {np.__version__}, float64")
    print(f"reference L_layer_model on the cat photos: layer dims {LAYERS_DIMS}, X {X.shape}, "
          f"{args.iterations} iterations, learning rate 0.0075")
    rounds = []
    for index in range(args.repeat):
        train_seconds, floor_seconds, costs = measure(X, Y, args.iterations)
        rounds.append((train_seconds, floor_seconds))
        print(f"  round {index + 1}: training {train_seconds:6.2f} s, two large products alone "
              f"{floor_seconds:6.2f} s, ratio {train_seconds / floor_seconds:.3f}")
    # The quietest round (least total time) gives the figures: its two sides ran side by side.
    train_seconds, floor_seconds = min(rounds, key=sum)
    ratio = train_seconds / floor_seconds
    if len(rounds) >= 3:
        ratios = sorted(t / f for t, f in rounds)
        print(f"  median ratio over {len(rounds)} rounds: {ratios[len(ratios) // 2]:.3f}")
    print(f"  first cost {costs[0]!r} (published 0.7717493284237686)")
    print(f"reference training, {args.iterations} iterations:           {train_seconds:7.2f} s "
          f"({1000 * train_seconds / args.iterations:.2f} ms per iteration)")
    print(f"W1 @ X and dZ1 @ X.T alone, {args.iterations} times (floor): {floor_seconds:7.2f} s "
          f"({1000 * floor_seconds / args.iterations:.2f} ms per iteration)")
    verdict = "within" if ratio <= TARGET_RATIO else "ABOVE"
    print(f"ratio training / floor:                              {ratio:7.3f}  "
          f"({verdict} the target {TARGET_RATIO})")
    if not args.no_autograde:
        print("autograde of the solutions student (one submission each, in a temporary course copy):")
        autograde_times()
    return 0


if __name__ == "__main__":
    sys.exit(main())
