"""``spasmcare ask``: answers from the knowledge base (CONTRACTS section 2).

The search index and its libraries are imported inside the command, so that
the other commands start no slower for them.
"""

from __future__ import annotations

import json
import sys

import typer

from spasmcare.cli import io
from spasmcare.core.errors import BadInput


def ask_command(
    question: str = typer.Argument(None, help="Your question, in your own words."),
    batch: str = typer.Option(None, "--batch", metavar="FILE",
                              help="Answer every line of FILE ('-' for standard input), one "
                                   "answer per line (JSON Lines with --json)."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
) -> None:
    """Answer a question about back spasms from the knowledge base, with sources."""
    if (question is None) == (batch is None):
        raise BadInput("give either a question or --batch FILE (one question per line)")
    questions = io.read_text(batch, "questions").splitlines() if batch is not None else [question]
    if not questions:
        raise BadInput("the questions file is empty: put one question on each line")

    from spasmcare.core.questions.answering import Answer, answer, blank_answer, check_question

    for number, q in enumerate(questions, start=1):
        if batch is not None and not q.strip():
            continue  # a blank line of a batch is answered as blank, line for line
        try:
            check_question(q)
        except BadInput as err:
            raise BadInput(f"line {number}: {err}" if batch is not None else str(err)) from None

    from spasmcare.core.loader import load_index, load_knowledge

    kb, index = load_knowledge(), load_index()

    def reply(q: str) -> Answer:
        return answer(q, kb, index) if q.strip() else blank_answer(q)

    if as_json:
        out = sys.stdout
        for q in questions:
            out.write(json.dumps(reply(q).to_dict(), ensure_ascii=False,
                                 indent=None if batch is not None else 2) + "\n")
        return
    from spasmcare.cli import render_answer

    labels = {t.id: t.label for t in kb.topics}
    for q in questions:
        render_answer.answer(reply(q), labels)


