"""The per-part table printed after grading: points per part, the total, and what was lost where."""

from __future__ import annotations


def render(graded) -> str:
    parts = graded.part_scores()
    width = max(len(p) for p in [*parts, "Total"]) + 2
    lines = [f"{'Part':<{width}}Points", "-" * (width + 14)]
    for part, (got, possible) in parts.items():
        lines.append(f"{part:<{width}}{got:>5g} / {possible:g}")
    lines.append("-" * (width + 14))
    total = sum(p for _, p in parts.values())
    lines.append(f"{'Total':<{width}}{graded.score:>5g} / {total:g}")
    if graded.by_hand:
        lines.append(f"Not in this total: {sum(p for _, p in graded.by_hand):g} points of questions a TA grades by "
                     f"hand ({', '.join(q for q, _ in graded.by_hand)})")
    lost = [t for t in graded.data["tests"] if t["score"] < t["max_score"]]
    if graded.status == "unreadable":  # one reason for every check: said once
        return "\n".join([*lines, "", "Not graded: the submission could not be read.", graded.data["output"]])
    if lost:
        lines.append("")
        lines.append("Points lost:")
        for t in lost:
            lines.append(f"  [{t['number']}] {t['name']} (-{t['max_score'] - t['score']:g})")
            for row in t["output"].splitlines():
                lines.append(f"      {row}")
    if graded.data.get("output"):
        lines.append("")
        lines.append(graded.data["output"])
    return "\n".join(lines)
