"""No test of the suite that cannot fail (tests/weak.py reads them all), and the reader finds what it should."""

import ast
from pathlib import Path

import weak

PLANTED = '''
import pytest
SIZES = [1, 2, 3]

def helper(x):
    assert x

def test_nothing(tmp_path):
    print("hello")

def test_counts_itself():
    assert len(SIZES) >= 3

def test_unchecked_edit():
    text = open("r.toml").read().replace("count = 5", "count = 6")
    helper(text)

def test_good(tmp_path):
    helper(tmp_path)
    with pytest.raises(ValueError):
        int("x")
'''


def test_the_suite_has_no_weak_test():
    found = weak.scan() + weak.helper_edits()
    assert [str(w) for w in found] == []


def test_the_reader_finds_each_kind_of_weak_test():
    found = weak.scan({Path("test_planted.py"): ast.parse(PLANTED)})
    assert sorted((w.test, w.why.split(" (")[0].split(" with")[0]) for w in found) == [
        ("test_counts_itself", "asserts only on the test file's own literal data"),
        ("test_nothing", "asks for the fixture `tmp_path` and never uses it"),
        ("test_nothing", "asserts nothing"),
        ("test_unchecked_edit", "edits a text"),
    ]
