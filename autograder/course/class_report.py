"""report.html, summary.json and similarity.csv of a batch (and of a merge): what the class got
wrong, for instructors and TAs. One self-contained HTML file (charts inline as SVG, a few lines of
script to sort the students' table) that opens offline; the same figures as JSON for scripts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
from pathlib import Path

from autograder.course import insights, similarity
from autograder.grading.results import write_atomically

TEMPLATES = Path(__file__).parent / "templates"
SHOWN_PAIRS = 20  # side by side in the report; a class of identical copies would make it endless (all are in the CSV)


def write(out: Path, records: list[dict], form: str, max_score: float, parts: list[str], hw, sandbox=(), manual=(),
          requests=()) -> None:
    records = sorted(records, key=lambda r: r["student"])
    summary = insights.summarize(out, records, parts, max_score, hw.id)
    summary["manual"] = manual_figures(records, manual)
    summary["requests"] = request_counts(requests)
    try:
        pairs = similar_pairs(out, answer_codes(out, records), hw)
    except ImportError:  # copydetect is a TA tool (requirements-dev.txt); the rest of the report stands
        print("report: the similarity check needs copydetect (pip install copydetect): similarity.csv not written",
              file=sys.stderr)
        pairs = []
    else:
        write_similarity_csv(out / "similarity.csv", pairs)
    flagged = similarity.flagged(pairs)
    summary["similar_pairs"] = [{"a": p.a, "b": p.b, "score": round(p.score, 4), "answers": list(p.answers)}
                                for p in flagged]
    write_atomically(summary, out / "summary.json")
    html = render(hw.title, form, summary, records, parts, flagged, list(sandbox))
    (out / "report.html").write_text(html, encoding="utf-8")


CACHE = "similarity.cache.json"  # the last comparison's figures, without the code (read back from answers/)


def similar_pairs(out: Path, codes: dict[str, str], hw) -> list:
    """similarity.similar_pairs, computed again only when an answer changed: it is most of a publication's time
    (30 s of 32 for 300 students), and the review page publishes after each change."""
    handout = handout_code(hw)
    key = hashlib.sha256(json.dumps([sorted(codes.items()), handout, list(hw.handout.ANSWERS)]).encode()).hexdigest()
    try:
        kept = json.loads((out / CACHE).read_text())
    except (OSError, ValueError):
        kept = {}
    if kept.get("key") == key:
        own = {student: similarity.own_code(code, handout) for student, code in codes.items()}  # once each
        return [similarity.Pair(p["a"], p["b"], p["a_in_b"], p["b_in_a"], own[p["a"]], own[p["b"]], tuple(p["answers"]))
                for p in kept["pairs"]]
    pairs = similarity.similar_pairs(codes, handout, hw.handout.ANSWERS)
    write_atomically({"key": key, "pairs": [{"a": p.a, "b": p.b, "a_in_b": p.a_in_b, "b_in_a": p.b_in_a,
                                             "answers": list(p.answers)} for p in pairs]}, out / CACHE)
    return pairs


def answer_codes(out: Path, records: list[dict]) -> dict[str, str]:
    """student -> the answer code saved with the grading (graded submissions only)."""
    codes = {}
    for r in records:
        path = out / "answers" / f"{r['file']}.py"
        if r["status"] in insights.GRADED and path.is_file():
            codes[r["student"]] = path.read_text(encoding="utf-8")
    return codes


def handout_code(hw) -> str:
    """What every student starts from: the handout's own answer cells, as the loader keeps them."""
    return similarity.answer_code(hw.template, hw.handout) or ""


def write_similarity_csv(path: Path, pairs: list[similarity.Pair]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_a", "student_b", "similarity", "a_in_b", "b_in_a", "copied_answers", "flagged"])
        for p in pairs:
            writer.writerow([p.a, p.b, f"{p.score:.3f}", f"{p.a_in_b:.3f}", f"{p.b_in_a:.3f}", " ".join(p.answers),
                             "yes" if p.flagged else "no"])


def manual_figures(records: list[dict], manual) -> list[dict]:
    """Each manual question: its points, and the figures over the students a TA has graded on it."""
    rows = []
    for m in manual:
        given = [float(r[f"manual:{m.id}"]) for r in records if r.get(f"manual:{m.id}", "") != ""]
        rows.append({"id": m.id, "name": m.name, "points": m.points, **insights.figures(given)})
    return rows


def request_counts(requests) -> dict:
    """Regrade requests by state, and how many were accepted (the score was changed)."""
    return {"total": len(requests), **{state: sum(r["state"] == state for r in requests)
                                       for state in ("open", "accepted", "rejected")}}


def render(title: str, form: str, summary: dict, records: list[dict], parts: list[str], pairs, sandbox=()) -> str:
    """The report's HTML; `sandbox`: what held student code in, one line per kind of machine (batch.json has it
    too), said where the grades are."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    files = {r["student"]: r["file"] for r in records}
    return env.get_template("report.html.j2").render(
        title=title, form=form, summary=summary, records=records, parts=parts, pairs=pairs, files=files,
        flag_at=similarity.FLAG_AT, shown=SHOWN_PAIRS, charts=charts(summary, parts), sandbox=sandbox,
        manual=[{**m, "chart": manual_chart(m)} for m in summary["manual"]])


def charts(summary: dict, parts: list[str]) -> list[str]:
    """Inline SVGs: the totals' histogram, and one small histogram per part. None without matplotlib."""
    top = {part: sum(c["max_score"] for c in summary["checks"] if c["part"] == part) or 1.0 for part in parts}
    figures = [histogram(summary["totals"].get("values", []), summary["max_score"], "total", "students", (6, 3))]
    figures += [histogram(summary["parts"][part].get("values", []), top[part], part, "students", (3.2, 2.4))
                for part in parts]
    return [svg(fig) for fig in figures if fig is not None]


def manual_chart(figures: dict) -> str:
    """One manual question's histogram as inline SVG ("" without matplotlib or grades)."""
    fig = histogram(figures.get("values", []), figures["points"], figures["id"], "students", (3.2, 2.4))
    return svg(fig) if fig is not None and figures["count"] else ""


def histogram(values: list[float], top: float, label: str, counted: str, size: tuple[float, float]):
    """A matplotlib figure of `values` in 16 bins from 0 to `top`; None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # headless
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=size)
    ax.hist(values, bins=[top * i / 16 for i in range(17)], edgecolor="black")
    ax.set_xlabel(f"{label} (of {top:g})")
    ax.set_ylabel(counted)
    return fig


def svg(fig) -> str:
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "course-report"  # the same report for the same grades
    matplotlib.rcParams["svg.fonttype"] = "none"
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    close(fig)
    text = re.sub(r"<metadata>.*?</metadata>", "", buffer.getvalue(), flags=re.S)  # no dates, no links
    return text[text.index("<svg"):]  # no XML prolog inside HTML


def close(fig) -> None:
    import matplotlib.pyplot as plt

    plt.close(fig)
