"""What instructors and TAs type: every input either works or is refused before any work.

A refusal is one line on stderr (`autograder: ...`) naming the thing, the problem and the fix,
exit status 2, no traceback, and nothing written: a typo must never look like a real zero.
The table "Inputs the grader refuses" (docs/refusals.md) is written from REFUSED by docs/generate.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder import homework, rubric
from conftest import HANG_SECONDS, NN2, REFERENCE_NOTEBOOK, ROOT, edited

HANDOUT = NN2.template
PACKAGED = NN2.rubric_path.read_text()
HESSIAN = homework.load("hessian")
COURSE = {"nn2": 3, "hessian": 1}  # course.zip: handouts of each homework, most of them NN2's
INSTALLED = ", ".join(homework.ids())  # the shipped packs, and a course's own when one is installed


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=HANG_SECONDS)


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder that exists and cannot be written: a read-only one, or /sys for root (whom no mode stops)."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


@pytest.fixture
def place(tmp_path):
    """A TA's folder: a notebook, a folder, a rubric with typos, a batch output and one that is not."""
    shutil.copy(HANDOUT, tmp_path / "hw.ipynb")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "a.ipynb").write_bytes(HANDOUT.read_bytes())
    (tmp_path / "typo.toml").write_text(edited(edited(PACKAGED, "count = 5", "cuont = 5"),
                                               'id = "grad_single_rows"', 'id = "grad_single_row"'))
    (tmp_path / "not_a_batch").mkdir()
    (tmp_path / "other.py").write_text("def train(model): pass\n")
    (tmp_path / "late.toml").write_text(PACKAGED + "\n[late]\ndue = 2026-12-01T23:59:00\npenalty_percent = 10\n")
    (tmp_path / "worksheet.csv").write_text("Identifier,Full name,Last modified (submission)\nParticipant 7,Ann,-\n")
    (tmp_path / "ok.toml").write_text(PACKAGED)
    (tmp_path / "secret_seed").write_text("5eed\n")
    (tmp_path / "shard").mkdir()
    (tmp_path / "shard" / "batch.json").write_text('{"form": "folder of submissions", "homework": "nn2"}')
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("grade HW2")
    (tmp_path / "new_gb.csv").write_text("Student,ID,SIS User ID,SIS Login ID,Section\n    Points Possible,,,,\n")
    shutil.copy(HESSIAN.rubric_path, tmp_path / "hessian.toml")
    with zipfile.ZipFile(tmp_path / "course.zip", "w") as z:
        for hw_id, count in COURSE.items():
            for i in range(count):
                z.writestr(f"{hw_id}_{i}.ipynb", homework.load(hw_id).template.read_bytes())
    return tmp_path


# (case, arguments, the one line of stderr after "autograder: "); {ro} is an unwritable folder.
REFUSED = [
    ("missing submission", ["grade", "nope.ipynb"], "the submission nope.ipynb does not exist: check the path"),
    ("a build without its homework", ["build", "gradescope", "--out", "a.zip"],
     f"several homeworks are installed: pass --homework ({INSTALLED})"),
    ("an unknown homework", ["grade", "hw.ipynb", "--homework", "nn3"],
     f"--homework nn3: no such homework; the homeworks here are: {INSTALLED}"),
    ("a submission of no known homework", ["grade", "other.py"],
     f"cannot tell which homework this file is for: pass --homework ({INSTALLED})"),
    ("a folder as submission", ["grade", "folder"],
     "the submission folder is a folder: pass the notebook (.ipynb) or .py file inside it"),
    ("a folder as rubric", ["grade", "hw.ipynb", "--rubric", "folder"],
     "rubric folder is a folder: pass the rubric's .toml file"),
    ("missing rubric", ["grade", "hw.ipynb", "--rubric", "mine.toml"], "rubric file mine.toml does not exist"),
    ("a rubric key with a typo", ["grade", "hw.ipynb", "--rubric", "typo.toml"],
     "typo.toml: unknown key `hidden.cuont` (did you mean `hidden.count`?)"),
    ("a check id with a typo", ["build", "gradescope", "--rubric", "typo.toml", "--out", "a.zip"],
     "typo.toml: [[check]] `grad_single_row`: no check has this id (did you mean `grad_single_rows`?)"),
    ("results into a folder", ["grade", "hw.ipynb", "--results", "folder"],
     "--results folder is a folder: give a file name, such as folder/results.json"),
    ("results below a file", ["grade", "hw.ipynb", "--results", "hw.ipynb/r.json"],
     "--results hw.ipynb/r.json: hw.ipynb is a file, not a folder"),
    ("results where nobody may write", ["grade", "hw.ipynb", "--results", "{ro}/r.json"],
     "--results {ro}/r.json: cannot write in {ro}"),
    ("the Gradescope zip into a folder", ["build", "gradescope", "--homework", "nn2", "--out", "folder"],
     "--out folder is a folder: give a file name, such as folder/autograder.zip"),
    ("the student bundle into a folder", ["build", "student", "--homework", "nn2", "--out", "folder"],
     "--out folder is a folder: give a file name, such as folder/neural_networks_2_student.zip"),
    ("a student bundle with a broken rubric", ["build", "student", "--rubric", "typo.toml"],
     "typo.toml: unknown key `hidden.cuont`"),
    ("a batch of nothing", ["batch", "nope", "--out", "out"], "the input nope does not exist: check the path"),
    ("a batch output that is a file", ["batch", "folder", "--out", "hw.ipynb"],
     "--out hw.ipynb is a file, not a folder: give a folder name"),
    ("a batch output where nobody may write", ["batch", "folder", "--out", "{ro}/out"],
     "--out {ro}/out: cannot write in {ro}/out"),
    ("a batch output inside its input", ["batch", "folder", "--out", "folder/out"],
     "--out folder/out is inside the input folder folder: it would be read as a student"),
    ("a batch input that is a notebook", ["batch", "hw.ipynb", "--out", "out"],
     "the input hw.ipynb is neither a folder nor a zip file: pass the course's download"),
    ("a batch with a broken rubric", ["batch", "folder", "--out", "out", "--rubric", "typo.toml"],
     "typo.toml: unknown key `hidden.cuont`"),
    ("a shard that is not K/N", ["batch", "folder", "--out", "out", "--shard", "2"],
     "--shard 2: expected K/N, for example 2/8"),
    ("a scheduler address that is not one", ["batch", "folder", "--out", "out", "--scheduler", "localhost"],
     "--scheduler localhost: expected tcp://HOST:PORT or tls://HOST:PORT"),
    ("a scheduler that is not running", ["batch", "folder", "--out", "out", "--scheduler", "tcp://127.0.0.1:9"],
     "--scheduler tcp://127.0.0.1:9: no Dask scheduler answered within 10 s: start one"),
    ("a tls scheduler without TLS settings", ["batch", "folder", "--out", "out", "--scheduler", "tls://127.0.0.1:9"],
     "--scheduler tls://127.0.0.1:9: a tls:// scheduler needs Dask's TLS settings"),
    ("merging a folder that is not a batch output", ["merge", "not_a_batch", "--out", "m"],
     "the shard not_a_batch is not the output of `autograder batch` (it has no batch.json)"),
    ("a late due date without its time zone", ["grade", "hw.ipynb", "--rubric", "late.toml"],
     "late.toml: `late.due` = 2026-12-01T23:59 has no time zone: write it with its offset, like "
     "2026-12-01T23:59+01:00"),
    ("a missing Canvas gradebook", ["batch", "folder", "--out", "out", "--canvas-gradebook", "gb.csv"],
     "--canvas-gradebook gb.csv does not exist: check the path"),
    ("a Canvas gradebook that is not one", ["batch", "folder", "--out", "out", "--canvas-gradebook", "other.py",
                                            "--assignment", "HW 2"],
     "--canvas-gradebook other.py: not a Canvas gradebook export (its first columns must be Student, ID)"),
    ("a Moodle worksheet for another download", ["batch", "folder", "--out", "out", "--moodle-worksheet",
                                                 "worksheet.csv"],
     "--moodle-worksheet is for a Moodle download; the input is a folder of submissions"),
    ("results over the submission", ["grade", "hw.ipynb", "--results", "hw.ipynb"],
     "--results hw.ipynb is the submission hw.ipynb itself: writing there would overwrite it; give another path"),
    ("results over the rubric", ["grade", "hw.ipynb", "--rubric", "ok.toml", "--results", "ok.toml"],
     "--results ok.toml is the rubric ok.toml itself"),
    ("results over the seed", ["grade", "hw.ipynb", "--rubric", "ok.toml", "--results", "secret_seed"],
     "--results secret_seed is the seed file"),
    ("results over a device", ["grade", "hw.ipynb", "--results", "/dev/null"],
     "--results /dev/null is not a regular file (a device, pipe or socket): give a file name, such as results.json"),
    ("meta over the results", ["grade", "hw.ipynb", "--results", "r.json", "--meta", "r.json"],
     "--meta r.json is also --results: give each output a path of its own"),
    ("the Gradescope zip over its rubric", ["build", "gradescope", "--rubric", "ok.toml", "--out", "ok.toml"],
     "--out ok.toml is the rubric ok.toml itself"),
    ("the Gradescope zip inside the pack", ["build", "gradescope", "--homework", "nn2", "--out", "{pack}/a.zip"],
     "--out {pack}/a.zip lies inside the homework's pack {pack}: writing there would change it; give a path "
     "outside it"),
    ("the student bundle over its rubric", ["build", "student", "--rubric", "ok.toml", "--out", "ok.toml"],
     "--out ok.toml is the rubric ok.toml itself"),
    ("a batch of a batch's output", ["batch", "shard", "--out", "out"],
     "the input shard is the output of an earlier batch (it has batch.json), not a course's download"),
    ("a batch cache inside its input", ["batch", "folder", "--out", "out", "--cache", "folder/cache"],
     "--cache folder/cache lies inside the input folder"),
    ("a batch output that holds other files", ["batch", "folder", "--out", "notes"],
     "--out notes already holds files that are not a batch's output (todo.txt): choose a new or empty folder"),
    ("merging a shard twice", ["merge", "shard", "shard", "--out", "m"],
     "the shard shard is given twice (shard is the same folder): name each shard once"),
    ("merging into a shard", ["merge", "shard", "--out", "shard/m"], "--out shard/m lies inside the shard shard"),
    ("a mutation run inside the pack", ["mutants", "--homework", "nn2", "--out", "{pack}/m"],
     "--out {pack}/m lies inside the homework's pack"),
    ("a new pack inside the grader", ["new", "pack", "zz", "--out", "{package}/zz"],
     "--out {package}/zz lies inside the grader's package"),
    ("self-check outcomes over the notebook", ["check", "hw.ipynb", "--json", "hw.ipynb"],
     "--json hw.ipynb is the notebook hw.ipynb itself"),
    ("a Canvas gradebook without assignments", ["batch", "folder", "--out", "out", "--canvas-gradebook", "new_gb.csv",
                                                "--assignment", "HW 3"],
     "--canvas-gradebook new_gb.csv has no assignment column to fill (its columns are Student, ID, SIS User ID, SIS Login "
     "ID, Section): create the assignment in Canvas and export the gradebook again (Grades > Export), or leave out "
     "--canvas-gradebook"),
    ("a homework most submissions do not answer", ["batch", "course.zip", "--out", "out", "--homework", "hessian"],
     f"--homework hessian: {COURSE['nn2']} of {sum(COURSE.values())} submissions answer nn2 ({NN2.title}); drop "
     "--homework or pass --homework nn2"),
    ("a rubric of a homework most submissions do not answer", ["batch", "course.zip", "--out", "out", "--rubric",
                                                               "hessian.toml"],
     f"--rubric hessian.toml is the rubric of hessian ({HESSIAN.title}), and {COURSE['nn2']} of "
     f"{sum(COURSE.values())} submissions answer nn2 ({NN2.title}): pass nn2's rubric, or no --rubric for nn2's own"),
    ("a rubric of another homework than the notebook's", ["grade", "hw.ipynb", "--rubric", "hessian.toml"],
     f"--rubric hessian.toml is the rubric of hessian ({HESSIAN.title}), and hw.ipynb answers nn2 ({NN2.title}): "
     "pass nn2's rubric, or --homework hessian to grade it as hessian anyway"),
    ("a rubric of another homework than --homework", ["grade", "hw.ipynb", "--homework", "nn2", "--rubric",
                                                      "hessian.toml"],
     "hessian.toml: this rubric is for the homework `hessian`, not `nn2`: pass the rubric of nn2, or --homework hessian"),
    ("a batch with the rubric of another homework than --homework", ["batch", "course.zip", "--out", "out",
                                                                      "--homework", "nn2", "--rubric", "hessian.toml"],
     "hessian.toml: this rubric is for the homework `hessian`, not `nn2`: pass the rubric of nn2, or --homework hessian"),
    ("an unknown mutant", ["mutants", "--homework", "nn2", "--only", "nosuchmutant", "--out", "m"],
     "--only nosuchmutant: no such mutant of nn2; its "),
    ("self-checking a missing notebook", ["check", "nope.ipynb"], "the notebook nope.ipynb does not exist"),
    ("self-checking a folder", ["check", "folder"], "the notebook folder is a folder: pass your .ipynb file inside it"),
    ("a review of a folder that is no batch's output", ["review", "not_a_batch"],
     "not_a_batch is not the output of `autograder batch` (it has no batch.json): pass the --out folder of a batch"),
    ("a review of a batch that graded no one yet", ["review", "shard"],
     "shard holds no graded students yet: run the batch to its end first"),
    ("a review's export inside the batch's output", ["review", "shard", "--export", "shard/marks.csv"],
     "--export shard/marks.csv lies inside the batch output shard: writing there would change it; give a path outside "
     "it"),
    ("a review's sheet that does not exist", ["review", "shard", "--import", "nope.csv"],
     "--import nope.csv does not exist: check the path"),
]


@pytest.mark.parametrize("case, args, message", REFUSED, ids=[c for c, _, _ in REFUSED])
def test_a_bad_input_is_refused_with_one_line_exit_2_and_nothing_written(place, case, args, message):
    ro = unwritable_folder(place)
    where = {"ro": ro, "pack": NN2.folder, "package": ROOT / "autograder"}
    before = sorted(p.relative_to(place) for p in place.rglob("*"))
    pack_before = sorted(NN2.folder.rglob("*"))
    run = cli(*(a.format(**where) for a in args), cwd=place)
    assert run.returncode == 2, run.stdout + run.stderr
    lines = run.stderr.splitlines()
    assert lines and all(line.startswith("autograder: ") for line in lines), run.stderr
    assert message.format(**where) in run.stderr
    assert sorted(NN2.folder.rglob("*")) == pack_before
    assert "Traceback" not in run.stdout + run.stderr
    for phrase in ("instructor has been notified", "Upload the .ipynb"):  # Gradescope's words only
        assert phrase not in run.stdout + run.stderr
    created = sorted(p.relative_to(place) for p in place.rglob("*"))
    assert [p for p in created if p not in before and p.name not in ("out", "work", "m")] == []
    assert not (place / "results.json").exists()


def test_a_notebook_of_another_homework_is_refused_by_its_rubric_and_graded_by_its_homework(place):
    """The rubric named the homework: the operator's slip, refused. --homework named it: the student's upload,
    graded `wrong homework` (exit 0, results.json says which homework it answers)."""
    refused = cli("grade", "hw.ipynb", "--rubric", "hessian.toml", "--results", "r.json", cwd=place)
    assert refused.returncode == 2 and not (place / "r.json").exists()
    graded = cli("grade", "hw.ipynb", "--homework", "hessian", "--results", "r.json", cwd=place)
    assert graded.returncode == 0, graded.stderr
    data = json.loads((place / "r.json").read_text())
    assert data["score"] == 0 and f"This notebook answers the nn2 homework ({NN2.title})" in data["output"]


def test_a_rubric_lists_every_problem_once_by_row_id_and_key(place):
    text = edited(edited(PACKAGED, "count = 5", "cuont = 5"), 'id = "mix_trained_network"', 'id = "mix_traind_network"')
    row = text.index('id = "frob_training"')  # a row deleted and its points moved: a check with no row
    text = text[: text.rindex("[[check]]", 0, row)] + text[text.index("[[check]]", row):]
    text = edited(text, 'id = "frob_reg_hidden"\npart = "FrobClassifier"\nnumber = "3.3"\n'
                        'name = "FrobClassifier.reg() on hidden random weight matrices"\npoints = 1',
                        'id = "frob_reg_hidden"\npart = "FrobClassifier"\nnumber = "3.3"\n'
                        'name = "FrobClassifier.reg() on hidden random weight matrices"\npoints = 3.5')
    rows = [
        "autograder: edited.toml: [[check]] `mix_traind_network`: no check has this id "
        "(did you mean `mix_trained_network`?)",
        "autograder: edited.toml: the check `frob_training` (autograder/homeworks/nn2/checks/check_frob_classifier.py) has no "
        "[[check]] row: add one with its part, number, name, points and visibility",
        "autograder: edited.toml: the check `mix_trained_network` (autograder/homeworks/nn2/checks/check_mix.py) has no "
        "[[check]] row: add one with its part, number, name, points and visibility",
    ]
    (place / "edited.toml").write_text(text)
    run = cli("grade", "hw.ipynb", "--rubric", "edited.toml", cwd=place)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        "autograder: edited.toml: unknown key `hidden.cuont` (did you mean `hidden.count`?)",
        "autograder: edited.toml: `hidden.count` is missing (random inputs per hidden check)",
        *rows,
    ]
    (place / "edited.toml").write_text(text.replace("cuont", "count"))
    run = cli("build", "gradescope", "--rubric", "edited.toml", "--out", "a.zip", cwd=place)
    assert run.returncode == 2 and not (place / "a.zip").exists()
    assert run.stderr.splitlines() == rows
