"""Gradescope's Markdown shows the grader's text as written: nothing lost, nothing turned into markup."""

import string

from hypothesis import given, settings, strategies as st

from autograder.feedback import markdown
from rendered import RENDERER, assert_renders_as_written

MESSAGES = [
    "Mix(nn) returned 1006 on the handout's initial network (NeuralNetworkClassifier() before fit); expected 4.966.",
    "Likely mistake: the penalty is lambda*||W||_Frob^2 with lambda = 0.005*h; use sqrt(h)*||W||_Frob.",
    "Advice (no points lost): Grad left gradients in the model's parameters; call `nn.zero_grad()` after it.",
    "FrobClassifier().fit(Xtrain,Ttrain) failed:\n  File \"<cell 7>\", line 3, in reg\nZeroDivisionError: division by zero",
    "- Mix: 4.966\n- Grad: 0.389\n1. not a list\n# not a heading\n=== not a rule\n    not code",
    "the grading reached its time limit of 480 seconds before it (earlier calls used the time)",
]


def test_the_grader_s_own_messages_render_as_written():
    for text in MESSAGES:
        assert_renders_as_written(text)


def test_calls_become_code_and_the_marks_bold():
    md = markdown.to_markdown(MESSAGES[1])
    assert md.startswith("**Likely mistake:**")
    assert "``sqrt(h)``" in md and "\\|\\|W\\|\\|\\_Frob" in md
    assert "<code>Mix(nn)</code>" in RENDERER.render(markdown.to_markdown(MESSAGES[0]))


def test_text_from_student_code_never_becomes_html_a_link_or_an_image():
    hostile = ('<script>alert(1)</script> [full marks](http://example.com) ![x](http://example.com/x.png) '
               '<img src=x onerror=alert(1)> <http://example.com> &lt;b&gt; *bold* _it_ `code')
    assert_renders_as_written(hostile)
    html = RENDERER.render(markdown.to_markdown(hostile))
    for tag in ("<script", "<a ", "<img", "<em>", "<strong>"):
        assert tag not in html, html


def test_results_say_markdown_and_keep_everything_else():
    data = {"score": 1.0, "output": "a*b", "tests": [{"name": "n", "score": 1, "output": "x_y", "visibility": "visible"}]}
    md = markdown.results(data)
    assert md["output_format"] == "md" and md["tests"][0]["output_format"] == "md"
    assert md["output"] == "a\\*b" and md["tests"][0]["output"] == "x\\_y"
    assert {k: v for k, v in md["tests"][0].items() if k not in ("output", "output_format")} == \
        {k: v for k, v in data["tests"][0].items() if k != "output"}


# Random characters, and random sequences of the pieces that matter to Markdown: list and code
# marks, backticks alone and paired, calls, indentation, the bold marks, entities, line starts.
PIECES = ["- ", "`", "``", "`x`", "Mix(nn)", "f(a, b).g()", "    ", " ", "\n", "1.", "2)", "#", "=", "*", "_",
          "||W||_Frob", "<b>", "[a](b)", "&#32;", "&amp;", "\\", "Likely mistake:", "Advice (no points lost):", "a"]
PRINTABLE = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " \n", max_size=120) | \
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(PRINTABLE)
def test_any_text_comes_back_exactly(text):
    md = markdown.to_markdown(text)
    assert markdown.to_plain(md) == "\n".join(line.rstrip() for line in text.split("\n"))


@settings(max_examples=400, deadline=None)
@given(PRINTABLE)
def test_any_text_renders_as_its_lines(text):
    assert_renders_as_written(text)
