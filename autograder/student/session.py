"""One self-check: ask the public questions, decide each check as soon as its answers are in, print it.

The checks are the grader's own (the homework's checks/ folder), their expected values stored
numbers (expectations.Stored). What the grader decides with closed forms the bundle must not hold
(NN2: Grad on Xtest and ||W||_Mix after a training) is asked of the student's own functions, and
only once their public checks passed; otherwise the check says it was not checked here, and it
never counts as passed.

Order: every check without a training as soon as its part's answers are in (a part's answers are
judged together: an answer that does not change with its input withholds the whole part), then
each training, with a progress line while it runs, and its follow-up questions.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass

from autograder.grading import expectations, questions
from autograder.grading.checks import Context
# The outcomes the self-check prints are the runner's; FAILED is read by its printer and the tests.
from autograder.grading.runner import FAILED, GRADER_FAULT, NOT_HERE, PASSED, run_check  # noqa: F401

NOT_RUN = "The self-check could not run this check: {error}. The grader will run it after you submit."


@dataclass
class Outcome:
    check: object  # rubric.Check
    status: str  # PASSED, FAILED or NOT_HERE
    output: str

    @property
    def passed(self) -> bool:
        return self.status == PASSED


class StartFailure(Exception):
    """This computer could not start Python with numpy and torch for the check: not the notebook's doing."""

    def __init__(self, module: str, error: str, machine: bool = False):
        super().__init__(error)
        self.module, self.error, self.machine = module, error, machine


def public_questions(hw, rubric):
    """The questions of the public checks (no seed: no hidden inputs)."""
    return questions.build(hw.checks(), hw.gradings(), rubric, questions.Asking(rubric, None))


class Session:
    """The questions of the chosen parts' public checks, their answers as they come, and the verdicts.

    `ask(lanes, events)` answers lists of wire questions (in children, or in the notebook's kernel),
    calling `events(lane, message)` for each answer and progress line, and returns (raw, load errors,
    bytes printed). With `parts`, only their checks are shown, but every part's cheap public checks
    are still decided: a training's figures use the student's own Grad and Mix once those passed.
    """

    def __init__(self, hw, rubric, ask, printer, suggestions=None, notes=None, parts=None, cores: int = 2):
        self.rubric, self.ask, self.printer, self.cores = rubric, ask, printer, cores
        asked, by_check = public_questions(hw, rubric)
        shown = set(parts or hw.parts)
        long_ids = {q.id for q in asked if q.long}
        self.rows = [r for r in rubric.checks if r.is_public and (r.part in shown or not long_ids & set(by_check[r.id]))]
        self.shown = [r for r in self.rows if r.part in shown]
        asked_parts = {r.part for r in self.rows}
        wanted = {qid for r in self.rows for qid in by_check[r.id]}
        self.asked = [q for q in asked if q.id in wanted or (q.repeat_of in wanted and q.part in asked_parts)]
        self.functions, self.kinds = hw.checks(), hw.gradings()
        self.expect = expectations.Stored.for_rubric(hw, rubric)
        self.ctx = Context(homework=hw, rubric=rubric, questions={q.id: q for q in self.asked}, answers={},
                           expect=self.expect, asked=by_check, suggestions=suggestions or {}, load_notes=notes or [])
        self.events: queue.Queue = queue.Queue()
        self.outcomes: dict[str, Outcome] = {}
        self.follow_ups: dict[str, dict[str, str]] = {}  # long question id -> follow-up id -> figure, still due
        self.rounds: set[str] = set()  # rounds of asking still running
        self.load_errors: list[str] = []
        self.printed = 0

    # ------------------------------------------------------------------------- asking

    def start_round(self, asked: list, lanes: int, tag: str) -> None:
        """Ask `asked` in the background; its answers and its end arrive as events tagged `tag`."""
        wire = [[q.wire() for q in lane] for lane in questions.lanes(asked, lanes)]
        self.rounds.add(tag)

        def work():
            try:
                result = self.ask(wire, lambda lane, message: self.events.put((tag, message)))
            except BaseException as exc:  # the self-check's own fault, said as such: never a traceback
                result = exc
            self.events.put((tag, {"event": "round done", "result": result}))

        threading.Thread(target=work, daemon=True).start()

    def run(self) -> list[Outcome]:
        """Every shown check's outcome, in rubric order; printed one by one as they are decided."""
        self.start_round(self.asked, self.cores, "public")
        failure = None
        while self.rounds:
            tag, message = self.events.get()
            failure = self.receive(tag, message) or failure
            if failure is None:
                self.decide_what_can_be()
        if failure is not None:
            raise failure
        self.decide_what_can_be()
        return [self.outcomes[r.id] for r in self.shown]

    def receive(self, tag: str, message: dict) -> Exception | None:
        if message.get("event") == "round done":
            self.rounds.discard(tag)
            return self.round_done(tag, message["result"])
        if message.get("event") == "progress":
            question = self.ctx.questions.get(message.get("id"))
            if question is not None:
                self.printer.progress(question.part, message.get("done", 0), message.get("total", 1))
            return None
        if message.get("environment") is True:
            return StartFailure(str(message.get("module", "")), str(message.get("message", "")),
                                message.get("fault") == "machine")
        if tag == "public":
            self.public_answer(message)
        else:
            self.own_answer(tag, message)
        return None

    def round_done(self, tag: str, result) -> Exception | None:
        if isinstance(result, BaseException):
            return result
        _, load_errors, printed = result
        self.printed += printed
        if tag == "public":
            self.load_errors = load_errors
        for qid in list(self.follow_ups.get(tag, {})):  # follow-ups the round could not answer
            self.own_answer(tag, {"id": qid, "status": "crashed"})
        return None

    def public_answer(self, message: dict) -> None:
        q = self.ctx.questions.get(message.get("id"))
        if q is None:
            return
        self.ctx.answers[q.id] = questions.clean(message, q, self.kinds[q.kind])
        if q.long:
            self.printer.progress_done(q.part)

    def own_answer(self, tag: str, message: dict) -> None:
        """A follow-up's answer: its value is the figure, None when there is none."""
        due = self.follow_ups.get(tag, {})
        figure = due.pop(message.get("id"), None)
        if figure is None:
            return
        value = message.get("value")
        ok = message.get("status") == "ok" and type(value) in (int, float) and abs(value) < float("inf")
        self.expect.own.setdefault(tag, {})[figure] = float(value) if ok else None

    def ask_follow_ups(self, question, answer) -> None:
        """The student's own functions, on what a long question produced: only parts whose public checks passed."""
        own = self.kinds[question.kind].own
        wanted = own(question, answer) if own and answer.ok else {}
        trusted = self.trusted()
        self.expect.own[question.id] = {figure: None for figure in wanted}
        self.expect.own_parts[question.id] = {figure: q.part for figure, q in wanted.items()}
        asked = {figure: q for figure, q in wanted.items() if q.part in trusted}
        self.follow_ups[question.id] = {q.id: figure for figure, q in asked.items()}
        if asked:
            self.start_round(list(asked.values()), 1, question.id)

    def trusted(self) -> set[str]:
        """Parts whose public checks were all decided, and all passed."""
        parts = {r.part for r in self.rows}
        return {p for p in parts if all(r.id in self.outcomes and self.outcomes[r.id].passed
                                        for r in self.rows if r.part == p)}

    # ------------------------------------------------------------------------- deciding

    def decide_what_can_be(self) -> None:
        """Decide, in rubric order, the cheap checks whose part has all its answers, then each ready training."""
        for row in (r for r in self.rows if not self.is_long(r)):
            if row.id not in self.outcomes:
                if not self.part_answered(row.part):
                    return  # later checks wait: verdicts are printed in the rubric's order
                self.decide(row)
        for row in self.rows:
            if row.id in self.outcomes or not self.is_long(row):
                continue
            mine = [qid for qid in self.ctx.asked[row.id] if qid in self.ctx.questions]
            if any(qid not in self.ctx.answers for qid in mine):
                continue
            for qid in mine:
                if qid not in self.follow_ups:
                    self.ask_follow_ups(self.ctx.questions[qid], self.ctx.answers[qid])
            if not any(self.follow_ups[qid] or qid in self.rounds for qid in mine):
                self.decide(row)

    def is_long(self, row) -> bool:
        return any(self.ctx.questions[qid].long for qid in self.ctx.asked[row.id] if qid in self.ctx.questions)

    def part_answered(self, part: str) -> bool:
        return all(q.id in self.ctx.answers for q in self.asked if q.part == part and not q.long)

    def decide(self, row) -> None:
        verdict = run_check(self.ctx, row, self.functions[row.id].function)  # the grader's own runner
        status, output = verdict.status, verdict.output
        if status == GRADER_FAULT:  # a fault of the self-check, not of the student's code
            error = [line for line in verdict.trace.splitlines() if line.strip()][-1]
            status, output = NOT_HERE, NOT_RUN.format(error=error)
        self.outcomes[row.id] = outcome = Outcome(row, status, output)
        if row in self.shown:
            self.printer.verdict(outcome)
