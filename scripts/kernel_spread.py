"""How much the course's published figures move between OpenBLAS kernels.

OpenBLAS picks a compute kernel for the processor it runs on (``OPENBLAS_CORETYPE`` forces one).
Kernels sum the terms of a matrix product in different orders, so the last digits of every
product differ, and training runs of thousands of iterations carry those differences into
the costs and, now and then, into a borderline prediction. This script computes every figure
the tests and the notebooks' prose quote, once per kernel, each in a fresh process with one
BLAS thread, and prints each figure's spread next to the tolerance the tests allow for it.

    python scripts/kernel_spread.py                     # the figures, under every kernel
    python scripts/kernel_spread.py --kernels Haswell Zen
    python scripts/kernel_spread.py --full              # also the 2500-iteration 08 runs (minutes)
    python scripts/kernel_spread.py --tests             # also run the figure tests under each kernel
    python scripts/kernel_spread.py --notebooks 05_shallow_network 06_initialization
                                                        # run solved notebooks under each kernel and
                                                        # print every output line that differs
    python scripts/kernel_spread.py --one               # this process's figures as JSON (internal)

Exit status 1 when a figure's spread exceeds its tolerance, or (with ``--tests``) when a
figure test fails under some kernel. The tolerances live in ``tests/figures.py`` (one place,
read by the tests and by this script).
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

#: The kernels the course promises to run on: "" is OpenBLAS's own choice for this processor.
KERNELS = ("", "Haswell", "SkylakeX", "Zen", "Sandybridge")


def run_kernel(kernel: str, full: bool) -> dict:
    """The figures computed in a fresh process under ``kernel`` (and the kernel it reports)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    env.pop("OPENBLAS_CORETYPE", None)
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    command = [sys.executable, __file__, "--one"] + (["--full"] if full else [])
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"figures under kernel {kernel or '(default)'} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def run_tests(kernel: str) -> int:
    """Run the figure tests (marker ``figures``) under ``kernel``; returns pytest's exit code."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    env.pop("OPENBLAS_CORETYPE", None)
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    command = [sys.executable, "-m", "pytest", "-q", "-m", "figures", "-p", "no:cacheprovider",
               "tests"]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    print(f"--- figure tests under {kernel or 'the default kernel'}:\n{done.stdout[-3000:]}{done.stderr[-2000:]}",
          flush=True)
    return done.returncode


def notebook_outputs(assignment: str, kernel: str) -> list[str]:
    """The text outputs of ``source/<assignment>`` (the solutions), executed under ``kernel``."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("NBGRADER_EXECUTION", None)  # the full runs, as a learner sees them
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    program = (
        "import json, sys, nbformat\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=1800, kernel_name='python3', allow_errors=True,\n"
        "               resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "lines = []\n"
        "for number, cell in enumerate(nb.cells):\n"
        "    for output in cell.get('outputs', []):\n"
        "        text = output.get('text') or output.get('data', {}).get('text/plain', '')\n"
        "        text = ''.join(text) if isinstance(text, list) else text\n"
        "        lines += [f'cell {number}: {line}' for line in text.splitlines()]\n"
        "print(json.dumps(lines))\n")
    folder = ROOT / "source" / assignment
    notebook = folder / f"{assignment}.ipynb"
    done = subprocess.run([sys.executable, "-c", program, str(notebook), str(folder)], env=env,
                          capture_output=True, text=True, cwd=folder)
    if done.returncode != 0:
        raise SystemExit(f"{assignment} under {kernel or 'default'} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def compare_notebooks(assignments: list, kernels: list) -> None:
    """Print, per notebook, each output line whose text differs between kernels."""
    import re

    timing = re.compile(r"\d+(\.\d+)? ?(s|ms|ns|µs)\b|ran in")
    for assignment in assignments:
        outputs = {}
        for kernel in kernels:
            print(f"executing {assignment} under {kernel or 'the default kernel'} ...", file=sys.stderr, flush=True)
            outputs[kernel] = notebook_outputs(assignment, kernel)
        print(f"=== {assignment}: output lines that differ between kernels (timings ignored)")
        by_cell = {k: {} for k in kernels}
        for kernel, lines in outputs.items():
            for line in lines:
                cell, _, text = line.partition(": ")
                by_cell[kernel].setdefault(cell, []).append(text)
        cells = sorted({c for k in kernels for c in by_cell[k]}, key=lambda c: int(c.split()[1]))
        for cell in cells:
            count = max(len(by_cell[k].get(cell, [])) for k in kernels)
            for index in range(count):
                seen = {k: (by_cell[k].get(cell, [])[index:index + 1] or ["<missing>"])[0] for k in kernels}
                if len(set(seen.values())) > 1 and not all(timing.search(v) for v in seen.values()):
                    for kernel, line in seen.items():
                        print(f"  {cell:8s} {kernel or 'default':12s} {line}")
                    print()


def blas_kernel() -> str:
    """The core type OpenBLAS reports it is using (via threadpoolctl when installed)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "?"
    for pool in threadpool_info():
        if pool.get("internal_api") == "openblas":
            return f"{pool.get('architecture')} (OpenBLAS {pool.get('version')})"
    return "?"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", action="store_true", help="print this process's figures as JSON")
    parser.add_argument("--full", action="store_true", help="include the slow 2500-iteration 08 runs")
    parser.add_argument("--tests", action="store_true", help="also run pytest -m figures per kernel")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="kernels computed at the same time (default: the number of cores)")
    parser.add_argument("--notebooks", nargs="*", default=None,
                        help="execute these solved notebooks under each kernel and print what differs")
    parser.add_argument("--kernels", nargs="*", default=list(KERNELS),
                        help="kernels to try ('' or 'default' for OpenBLAS's own choice)")
    args = parser.parse_args(argv)

    import figures  # tests/figures.py: the figures and their tolerances

    if args.one:
        import contextlib

        # stdout carries the JSON alone: whatever a figure's code prints goes to stderr.
        with contextlib.redirect_stdout(sys.stderr):
            values = figures.compute(full=args.full)
        values["_kernel"] = blas_kernel()
        print(json.dumps(values))
        return 0

    kernels = ["" if k in ("", "default") else k for k in args.kernels]
    if args.notebooks:
        compare_notebooks(args.notebooks, kernels)
        return 0
    results = {}
    print(f"computing the figures under {len(kernels)} kernels, {args.jobs} at a time ...", file=sys.stderr, flush=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        results = dict(zip(kernels, pool.map(lambda kernel: run_kernel(kernel, args.full), kernels)))
    names = [name for name in results[kernels[0]] if not name.startswith("_")]
    header = ["figure", "published"] + [k or "default" for k in kernels] + ["spread", "tolerance", ""]
    rows = []
    failed = False
    for name in names:
        spec = figures.FIGURES[name]
        values = [results[k][name] for k in kernels]
        spread = max(values) - min(values)
        ok = all(figures.within(name, v) for v in values)
        failed |= not ok
        rows.append([name, f"{spec.published:.10g}"] + [f"{v:.10g}" for v in values]
                    + [f"{spread:.3g}", f"{spec.tolerance:.3g}", "ok" if ok else "EXCEEDS"])
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)))
    print("kernels actually used: " + "; ".join(f"{k or 'default'} -> {results[k]['_kernel']}" for k in kernels))
    if args.tests:
        with ThreadPoolExecutor(args.jobs) as pool:
            codes = dict(zip(kernels, pool.map(run_tests, kernels)))
        for kernel, code in codes.items():
            print(f"figure tests under {kernel or 'default'}: {'passed' if code == 0 else f'FAILED (exit {code})'}")
        failed |= any(codes.values())
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
