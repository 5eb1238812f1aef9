"""``spasmcare ask``: answers from the knowledge base (CONTRACTS section 2).

The search index and its libraries are imported inside the command, so that
the other commands start no slower for them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

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
    questions = _read_lines(batch) if batch is not None else [question]

    from spasmcare.core.answering import answer
    from spasmcare.core.loader import load_index, load_knowledge

    kb, index = load_knowledge(), load_index()
    if as_json:
        out = sys.stdout
        for q in questions:
            out.write(json.dumps(answer(q, kb, index).to_dict(), ensure_ascii=False,
                                 indent=None if batch is not None else 2) + "\n")
        return
    from spasmcare.cli import render_answer

    titles = {s.id: s.title for s in kb.sources}
    labels = {t.id: t.label for t in kb.topics}
    for q in questions:
        render_answer.answer(answer(q, kb, index), titles, labels)


def _read_lines(name: str) -> list[str]:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"questions file not found: {name}") from None
    except IsADirectoryError:
        raise BadInput(f"questions file {name} is a folder; give a text file") from None
    except UnicodeDecodeError:
        raise BadInput(f"questions file {name} is not UTF-8 text") from None
    except OSError as err:
        raise BadInput(f"cannot read questions file {name}: {err.strerror}") from None
    return text.splitlines()
