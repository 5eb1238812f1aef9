"""``spasmcare ask`` as a real process: the JSON of CONTRACTS section 2, batches
one line per input line, readable answers, and bad input as one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.contract import TOPICS

KEYS = ["in_scope", "answers", "safety"]
SELF_CARE = {"urgency": "self-care", "message": None, "findings": [], "crisis": False}
ITEM_KEYS = ["topic", "title", "text", "sources", "score"]


def check_shape(out: dict) -> None:
    assert list(out) == (KEYS if out["in_scope"] else [*KEYS, "reply"])
    assert len(out["answers"]) <= 3
    for item in out["answers"]:
        assert list(item) == ITEM_KEYS
        assert item["topic"] in TOPICS and item["sources"] and 0 <= item["score"] <= 1
    assert list(out["safety"]) == ["urgency", "message", "findings", "crisis"]


def test_one_question_as_json(cli) -> None:
    r = cli("ask", "can I take Aleve with Tylenol?", "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    check_shape(out)
    assert out["in_scope"] is True
    assert out["answers"][0]["topic"] in {"acetaminophen", "nsaids"}
    assert out["safety"] == SELF_CARE


def test_out_of_scope_question_as_json(cli) -> None:
    out = json.loads(cli("ask", "how do I lower my cholesterol?", "--json").out)
    assert out["in_scope"] is False and out["answers"] == [] and out["safety"] == SELF_CARE
    assert "SpasmCare answers questions about back spasms" in out["reply"]


def test_batch_lines_match_inputs_one_for_one(cli, tmp_path: Path) -> None:
    questions = ["heat or ice for a back spasm?", "", "what is the capital of france",
                 "   ", "my back locked up, what now?"]
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(questions) + "\n", encoding="utf-8")
    r = cli("ask", "--batch", str(path), "--json")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert len(lines) == len(questions)
    rows = [json.loads(line) for line in lines]
    for row in rows:
        check_shape(row)
    assert [row["in_scope"] for row in rows] == [True, False, False, False, True]
    assert rows[1]["answers"] == [] and rows[3]["answers"] == []


def test_batch_reads_standard_input(cli) -> None:
    r = cli("ask", "--batch", "-", "--json", stdin="is a tens unit any good\n\nsciatica?\n")
    assert r.code == 0, r.err
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert len(rows) == 3
    assert rows[0]["answers"][0]["topic"] == "tens"
    assert rows[1]["in_scope"] is False and rows[1]["answers"] == []
    assert rows[1]["safety"] == SELF_CARE and "empty" in rows[1]["reply"]


def test_missing_batch_file_is_one_line_and_exit_2(cli, tmp_path: Path) -> None:
    r = cli("ask", "--batch", str(tmp_path / "nope.txt"), "--json")
    assert r.code == 2
    assert r.out == ""
    assert len(r.err.strip().splitlines()) == 1
    assert "questions file not found" in r.err and "Traceback" not in r.err


def test_an_empty_question_is_bad_input(cli) -> None:
    for question in ("", "   "):
        r = cli("ask", question, "--json")
        assert r.code == 2 and r.out == ""
        assert len(r.err.strip().splitlines()) == 1 and "empty" in r.err


def test_a_crisis_comes_first_in_the_answer(cli) -> None:
    out = json.loads(cli("ask", "my back has hurt for years and i want to end it all",
                         "--json").out)
    assert out["safety"]["crisis"] is True and out["safety"]["urgency"] == "emergency"
    assert out["safety"]["message"].startswith("You do not have to go through this alone.")
    assert "116 123" in out["safety"]["message"] and "988" in out["safety"]["message"]


def test_crisis_support_comes_before_the_back_emergency_in_the_terminal(cli) -> None:
    r = cli("ask", "I cannot control my bladder and I want to die")
    assert r.code == 0, r.err
    assert r.out.index("SUPPORT NOW") < r.out.index("116 123") < r.out.index("EMERGENCY")


def test_an_empty_batch_is_bad_input(cli) -> None:
    r = cli("ask", "--batch", "-", "--json", stdin="")
    assert r.code == 2 and r.out == "" and "empty" in r.err


def test_no_question_is_bad_input(cli) -> None:
    r = cli("ask", "--json")
    assert r.code == 2
    assert len(r.err.strip().splitlines()) == 1 and "--batch" in r.err


def test_readable_answer_shows_title_text_and_sources(cli) -> None:
    r = cli("ask", "does a heating pad help a back spasm?")
    assert r.code == 0, r.err
    assert "Sources:" in r.out
    assert "heat" in r.out.lower()


def test_readable_refusal_says_what_is_covered(cli) -> None:
    r = cli("ask", "what is the capital of france")
    assert r.code == 0, r.err
    assert "pharmacist" in r.out and "back" in r.out


def test_readable_red_flag_comes_first(cli) -> None:
    r = cli("ask", "my back is in spasm and I have lost control of my bladder")
    assert r.code == 0, r.err
    assert "EMERGENCY" in r.out
    assert r.out.index("EMERGENCY") < r.out.index("Sources:")
