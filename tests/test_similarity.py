"""The similarity check: copies with other names are flagged, independent answers and the handout are not."""

import ast
import itertools

import pytest

import catalog
from autograder.course import similarity
from conftest import SHIPPED_PACKS

PACKS = SHIPPED_PACKS


def renamed(code: str) -> str:
    """A copy as students disguise one: every argument and local name changed, comments gone,
    formatting redone (ast.unparse), a comment of its own added."""
    tree = ast.parse(code)
    local = {a.arg for node in ast.walk(tree) if isinstance(node, ast.arguments)
             for a in node.args + node.kwonlyargs if a.arg != "self"}
    local |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    new = {name: f"my_{name.lower()}_{i}" for i, name in enumerate(sorted(local))}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in new:
            node.id = new[node.id]
        elif isinstance(node, ast.arg) and node.arg in new:
            node.arg = new[node.arg]
    return "# my own work, written from scratch\n" + ast.unparse(tree)


def own_code(entry) -> str:
    return similarity.answer_code(entry.path, entry.homework.handout)


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_a_copy_with_other_names_comments_and_spacing_is_flagged(hw):
    reference = similarity.answer_code(hw.reference, hw.handout)
    copy = renamed(reference)
    assert copy != reference and "my_" in copy
    pairs = similarity.similar_pairs({"ann": reference, "bob": copy}, similarity.answer_code(hw.template, hw.handout))
    assert [(p.a, p.b) for p in similarity.flagged(pairs)] == [("ann", "bob")], pairs


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_correct_answers_written_independently_are_not_flagged(hw):
    entries = catalog.entries("correct", hw)
    codes = {e.path.stem: own_code(e) for e in entries}
    codes["reference"] = similarity.answer_code(hw.reference, hw.handout)
    answered = {e.path.stem: set(catalog.answers_of(e.path.read_text(), hw)) for e in entries}
    answered["reference"] = set(hw.handout.ANSWERS)
    pairs = similarity.similar_pairs(codes, similarity.answer_code(hw.template, hw.handout))
    compared = [(a, b) for a, b in itertools.combinations(sorted(codes), 2) if answered[a] & answered[b]]
    assert len(compared) >= 10  # enough pairs of different styles of the same answers to mean something
    assert similarity.flagged(pairs) == [], [(p.a, p.b, round(p.score, 2)) for p in similarity.flagged(pairs)]


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_the_handout_is_never_flagged_not_even_against_itself(hw):
    handout = similarity.answer_code(hw.template, hw.handout)
    reference = similarity.answer_code(hw.reference, hw.handout)
    pairs = similarity.similar_pairs({"h1": handout, "h2": handout, "ref": reference}, handout)
    assert all("ref" in (p.a, p.b) for p in pairs) and similarity.flagged(pairs) == []


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_a_verbatim_copy_across_formats_is_flagged_whatever_the_handout_s_imports(hw):
    """The reference's answers as a .py file and in the solved notebook (with the handout's import cells)."""
    script = similarity.answer_code(hw.reference, hw.handout)
    notebook = similarity.answer_code(hw.reference.with_suffix(".ipynb"), hw.handout)
    assert "import" in notebook  # the handout's import line is in the notebook's loaded code
    pairs = similarity.similar_pairs({"py": script, "nb": notebook}, similarity.answer_code(hw.template, hw.handout),
                                     hw.handout.ANSWERS)
    assert [(p.a, p.b, p.score) for p in similarity.flagged(pairs)] == [("nb", "py", 1.0)]


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_one_copied_answer_of_several_is_flagged_with_its_name(hw):
    """Ann's longest answer, renamed, in Bob's submission whose other answers are written otherwise."""
    handout = similarity.answer_code(hw.template, hw.handout)
    versions: dict[str, list[str]] = {}  # answer -> its different correct versions in the catalog
    for entry in catalog.entries("correct", hw):
        for name, unit in similarity.answer_units(own_code(entry), hw.handout.ANSWERS).items():
            if unit not in versions.setdefault(name, []):
                versions[name].append(unit)
    size, name, copied = max((len(similarity.fingerprint(u).hashes), n, u) for n, us in versions.items() for u in us)
    assert size >= similarity.ANSWER_MIN_PRINTS
    reference = similarity.answer_code(hw.reference, hw.handout)
    ann, bob = reference, reference
    for n, unit in similarity.answer_units(reference, hw.handout.ANSWERS).items():
        if n == name:
            ann, bob = ann.replace(unit, copied), bob.replace(unit, renamed(copied).split("\n", 1)[1])
        elif any(v != unit for v in versions.get(n, [])):  # Bob wrote this one his own way
            bob = bob.replace(unit, next(v for v in versions[n] if v != unit))
    pairs = similarity.similar_pairs({"ann": ann, "bob": bob, "cy": handout}, handout, hw.handout.ANSWERS)
    found = similarity.flagged(pairs)
    assert [(p.a, p.b, p.answers) for p in found] == [("ann", "bob", (name,))], pairs
