"""Measure the trained classifiers' figures for every correct submission of the test catalog.

    .venv/bin/python reference/measure_bands.py > reference/bands.md

The rubric's [bands] must hold all of these runs with a margin, and must
exclude the unregularized network (train 1.000, test 0.884, Grad 7.297).
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import catalog  # noqa: E402
from autograder import grade, rubric  # noqa: E402

KEYS = ("train_accuracy", "test_accuracy", "grad_xtest", "penalized_norm")


def main() -> None:
    r = rubric.load()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subs = [("reference/solution.ipynb", ROOT / "reference" / "solution.ipynb")]
        subs += [(f"correct/{e.path.stem}: {e.summary}", catalog.notebook(e, tmp)) for e in catalog.entries("correct")]
        for label, path in subs:
            graded = grade.main(submission=path, results_path=tmp / "r.json")
            runs.append((label, graded.score, graded.figures))
            print(f"measured {label}", file=sys.stderr)
    print("# Bands of the trained penalized classifiers\n")
    print("Made by `reference/measure_bands.py`: each correct submission of the test catalog, graded by the")
    print("real grader (the handout's 10,000-step fit, one torch thread), with the figures the training check")
    print("computes from the trained weights. Norm: sqrt(h)*||W||_Frob for FrobClassifier, ||W||_Mix for")
    print("MixClassifier. The unregularized network gives train 1.000, test 0.884, Grad 7.297.\n")
    for part in ("FrobClassifier", "MixClassifier"):
        print(f"## {part}\n")
        print("| submission | score | train acc | test acc | Grad(Xtest) | norm |")
        print("|---|---|---|---|---|---|")
        for label, score, figures in runs:
            f = figures.get(part, {})
            print(f"| {label} | {score:g} | " + " | ".join(f"{f[k]:.3f}" if k in f else "-" for k in KEYS) + " |")
        lows = [min(fig[part][k] for _, _, fig in runs if part in fig) for k in KEYS]
        highs = [max(fig[part][k] for _, _, fig in runs if part in fig) for k in KEYS]
        print("| **measured range** | | " + " | ".join(f"{lo:.3f}-{hi:.3f}" for lo, hi in zip(lows, highs)) + " |")
        print("| **rubric band** | | " + " | ".join(f"{r.bands[part][k][0]:g}-{r.bands[part][k][1]:g}" for k in KEYS) + " |\n")


if __name__ == "__main__":
    main()
