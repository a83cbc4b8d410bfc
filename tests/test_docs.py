"""Docs that cannot go stale: the site builds with --strict, the reference pages are what the code writes, every
repository path the docs name exists, and every command block marked to run runs and prints what it says."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "docs"))
import generate  # noqa: E402  (docs/generate.py)

DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
MKDOCS = Path(sys.executable).parent / "mkdocs"
# A shell block meant to run is preceded by `<!-- run: expect "TEXT" -->`; one that is not, by `<!-- not run: WHY -->`.
BLOCK = re.compile(r'<!-- (run: expect "(?P<expect>[^"]+)"|not run: [^>]+) -->\n```sh\n(?P<code>.*?)```', re.S)
TOP = {p.name for p in ROOT.iterdir() if not p.name.startswith(".")} | {".ci", ".venv"}


def mkdocs(root: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
                          cwd=root, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_the_site_builds_strictly(tmp_path):
    run = mkdocs(ROOT, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "site" / "reference" / "api" / "index.html").is_file()


@pytest.mark.parametrize("breach", ["a broken link", "a page outside the navigation"])
def test_a_broken_link_or_a_page_outside_the_navigation_fails_the_build(tmp_path, breach):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("docs", "mkdocs.yml", "SECURITY.md", "bench/results"):  # what the site reads
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, copy / name)
    if breach == "a broken link":
        with open(copy / "docs" / "tas.md", "a") as f:
            f.write("\nSee [the old page](batching.md).\n")
    else:
        (copy / "docs" / "orphan.md").write_text("# A page no menu reaches\n")
    run = mkdocs(copy, tmp_path / "site")
    assert run.returncode != 0
    assert ("batching.md" if breach == "a broken link" else "orphan.md") in run.stderr


def test_the_reference_pages_are_what_the_code_writes():
    for path, text in generate.expected().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.relative_to(ROOT)} is stale: run python docs/generate.py"


def named_paths(text: str) -> set[str]:
    """Repository paths in backticks or links: they start with a top-level entry of the repository."""
    found = set()
    for token in re.findall(r"`([^`\s]+)`|\]\(([^)\s#]+)", text):
        path = next(t for t in token if t).split(":")[0].rstrip(".,")
        if "/" in path and path.split("/")[0] in TOP and "://" not in path:
            found.add(path)
    return found


def test_every_repository_path_the_docs_name_exists():
    missing = []
    for page in PAGES:
        for path in named_paths(page.read_text()):
            pattern = re.sub(r"<[^>]+>|[A-Z]+(?=[/.]|$)", "*", path)  # <id>, HOMEWORK: placeholders
            # A path is the checkout's, or (a link of a page under docs/) the page's neighbour.
            if not any(list(base.glob(pattern)) or (base / path).exists() for base in {ROOT, page.parent}):
                missing.append(f"{page.relative_to(ROOT)}: {path}")
    assert not missing, "\n".join(missing)


def test_the_readme_is_short_and_every_shell_block_says_whether_it_runs():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    for command in ("./setup.sh && .venv/bin/autograder grade reference/nn2/solution.ipynb",
                    "./setup.sh && .venv/bin/pytest"):
        assert f"```sh\n{command}\n```" in readme
    assert readme.count("```sh") == len(BLOCK.findall(readme))


def blocks() -> list:
    return [(page, m["code"], m["expect"]) for page in PAGES for m in BLOCK.finditer(page.read_text()) if m["expect"]]


@pytest.mark.slow
@pytest.mark.parametrize("page, code, expect", blocks(), ids=lambda v: v.name if isinstance(v, Path) else None)
def test_a_command_block_of_the_docs_runs_and_prints_what_it_says(tmp_path, page, code, expect):
    # In a folder of links to the checkout, so that what the commands write lands here and not in the checkout.
    for entry in ROOT.iterdir():
        if entry.name not in {"site", "results.json"}:
            (tmp_path / entry.name).symlink_to(entry)
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         timeout=600)
    said = run.stdout + run.stderr
    assert run.returncode == 0, said[-3000:]
    assert expect in said, said[-3000:]
