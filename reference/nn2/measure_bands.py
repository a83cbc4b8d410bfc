"""Measure the trained classifiers' figures for every correct submission of the test catalog.

    .venv/bin/python reference/nn2/measure_bands.py [--json figures.json] > reference/nn2/bands.md

The rubric's [bands] must hold all of these runs with a margin, and must exclude the
unregularized network (train 1.000, test 0.884, Grad 7.297). The last table gives each band's
margin: how far its low edge lies below the lowest correct submission, and its high edge above
the highest. `--json` also writes the figures, to compare two trees (before and after a change).
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import catalog  # noqa: E402
from autograder.grading import grade
from autograder import homework, rubric  # noqa: E402

KEYS = ("train_accuracy", "test_accuracy", "grad_xtest", "penalized_norm")
PARTS = ("FrobClassifier", "MixClassifier")


def measure() -> list[tuple[str, float, dict]]:
    hw = homework.load("nn2")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subs = [("reference/nn2/solution.ipynb", hw.reference.with_suffix(".ipynb"))]
        subs += [(f"correct/{e.path.stem}: {e.summary}", catalog.notebook(e, tmp)) for e in catalog.entries("correct", hw)]
        for label, path in subs:
            graded = grade.main(submission=path, results_path=tmp / "r.json", homework=hw)
            runs.append((label, graded.score, graded.figures))
            print(f"measured {label}", file=sys.stderr)
    return runs


def margins(runs, bands) -> dict[str, dict[str, tuple[float, float]]]:
    """part -> figure -> (lowest correct - band's low edge, band's high edge - highest correct)."""
    out = {}
    for part in PARTS:
        values = {k: [fig[part][k] for _, _, fig in runs if part in fig] for k in KEYS}
        out[part] = {k: (min(v) - bands[part][k][0], bands[part][k][1] - max(v)) for k, v in values.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    r = rubric.load(homework.load("nn2"))
    bands = {part: r.extra[f"bands.{part}"] for part in PARTS}
    runs = measure()
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))
    print("# Bands of the trained penalized classifiers\n")
    print("Made by `reference/nn2/measure_bands.py`: each correct submission of the test catalog, graded by the")
    print("real grader (the handout's 10,000-step fit, one torch thread, subnormal floats flushed to zero), with")
    print("the figures the training check computes from the trained weights. Norm: sqrt(h)*||W||_Frob for")
    print("FrobClassifier, ||W||_Mix for MixClassifier. The unregularized network gives train 1.000, test 0.884,")
    print("Grad 7.297.\n")
    for part in PARTS:
        print(f"## {part}\n")
        print("| submission | score | train acc | test acc | Grad(Xtest) | norm |")
        print("|---|---|---|---|---|---|")
        for label, score, figures in runs:
            f = figures.get(part, {})
            print(f"| {label} | {score:g} | " + " | ".join(f"{f[k]:.3f}" if k in f else "-" for k in KEYS) + " |")
        lows = [min(fig[part][k] for _, _, fig in runs if part in fig) for k in KEYS]
        highs = [max(fig[part][k] for _, _, fig in runs if part in fig) for k in KEYS]
        print("| **measured range** | | " + " | ".join(f"{lo:.3f}-{hi:.3f}" for lo, hi in zip(lows, highs)) + " |")
        print("| **rubric band** | | " + " | ".join(f"{bands[part][k][0]:g}-{bands[part][k][1]:g}" for k in KEYS) + " |\n")
    print("## Margins: band edge to the nearest correct submission (low edge, high edge)\n")
    print("| part | train acc | test acc | Grad(Xtest) | norm |")
    print("|---|---|---|---|---|")
    for part, found in margins(runs, bands).items():
        print(f"| {part} | " + " | ".join(f"{lo:.3f}, {hi:.3f}" for lo, hi in found.values()) + " |")


if __name__ == "__main__":
    main()
