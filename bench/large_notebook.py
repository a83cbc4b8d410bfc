"""A large notebook for memory figures: a solved notebook with megabytes of outputs added, as a
student's notebook gets when it prints every training step and keeps its plots.

    .venv/bin/python bench/large_notebook.py OUT.ipynb [--mb 200] [--homework nn2]

The outputs are half stream text (printed losses) and half PNG images (base64 of random bytes,
which is what a plot's output is to a JSON parser); the code cells are the reference's.
"""

import argparse
import base64
import random
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def outputs(megabytes: float, cells: int, rng: random.Random) -> list[list]:
    per_cell = int(megabytes * 1024 * 1024 / max(cells, 1))
    out = []
    for _ in range(cells):
        lines = [f"step {i}: loss {rng.random():.6f}\n" for i in range(per_cell // 2 // 28)]
        png = base64.b64encode(rng.randbytes(per_cell // 2 * 3 // 4)).decode()
        out.append([nbformat.v4.new_output("stream", name="stdout", text="".join(lines)),
                    nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})])
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--mb", type=float, default=200)
    parser.add_argument("--homework", default="nn2")
    args = parser.parse_args()
    nb = nbformat.read(ROOT / "reference" / args.homework / "solution.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell, outs in zip(code, outputs(args.mb, len(code), random.Random(0))):
        cell.outputs = outs
        cell.execution_count = 1
    nbformat.write(nb, args.out)
    print(f"{args.out}: {Path(args.out).stat().st_size / 1e6:.0f} MB, {len(code)} code cells with outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
