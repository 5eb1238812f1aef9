"""``spasmcare triage`` as a real process: the JSON contract, the interactive
flow, and bad input (exit 2, one line, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.contract import FINDING_TIERS


def write(tmp_path: Path, document: object, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def test_contract_example(cli, tmp_path: Path) -> None:
    f = write(tmp_path, {"age": 45, "days_since_onset": 2, "pain_score": 7,
                         "findings": {"both_legs_symptoms": False, "fever": True}})
    r = cli("triage", "--answers", f, "--json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert list(out) == ["urgency", "reasons", "unanswered", "complete", "advice"]
    assert out["urgency"] == "urgent"
    assert out["reasons"][0]["finding"] == "fever"
    assert set(out["reasons"][0]) == {"finding", "urgency", "message", "sources"}
    assert "saddle_numbness" in out["unanswered"] and out["complete"] is False


def test_answers_from_stdin(cli) -> None:
    doc = {"findings": dict.fromkeys(FINDING_TIERS, False)}
    r = cli("triage", "--answers", "-", "--json", stdin=json.dumps(doc))
    out = json.loads(r.out)
    assert r.code == 0
    assert (out["urgency"], out["complete"], out["unanswered"]) == ("self-care", True, [])


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ({"findings": {"numb_toes": True}}, "numb_toes"),
        ({"pain_score": 12}, "pain_score"),
        ("{not json", "not valid JSON"),
        ([1, 2], "JSON object"),
        ({"findings": {"fever": "maybe"}}, "fever"),
    ],
)
def test_bad_answers_exit_2_with_one_line(cli, tmp_path: Path, content: object,
                                          fragment: str) -> None:
    r = cli("triage", "--answers", write(tmp_path, content), "--json")
    assert r.code == 2
    assert r.out == ""
    assert fragment in r.err and len(r.err.strip().splitlines()) == 1
    assert "Traceback" not in r.err


def test_missing_answers_file(cli) -> None:
    r = cli("triage", "--answers", "/nonexistent/answers.json", "--json")
    assert r.code == 2 and "not found" in r.err and "Traceback" not in r.err


def test_list_findings(cli) -> None:
    r = cli("triage", "--list", "--json")
    rows = json.loads(r.out)
    assert {row["id"]: row["tier"] for row in rows} == FINDING_TIERS


def test_interactive_all_no_reaches_self_care(cli) -> None:
    r = cli("triage", stdin="n\n" * len(FINDING_TIERS))
    assert r.code == 0, r.err
    assert "SELF-CARE" in r.out
    assert r.out.index("emergency help") < r.out.index("doctor today")


def test_interactive_emergency_stops_at_once(cli) -> None:
    r = cli("triage", "--json", stdin="y\n")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["urgency"] == "emergency"
    assert r.err.count("[y/n/?]") == 1  # no further question was asked


def test_interactive_not_sure_on_emergency_question_seeks_help(cli) -> None:
    r = cli("triage", "--json", stdin="?\n")
    out = json.loads(r.out)
    assert out["urgency"] == "emergency"
    assert "not sure" in r.err.lower() or "not sure" in out["reasons"][0]["message"].lower()


def test_interactive_reasks_on_unclear_reply(cli) -> None:
    r = cli("triage", "--json", stdin="maybe\nyes\n")
    assert json.loads(r.out)["urgency"] == "emergency"
    assert "Please answer" in r.err


def test_interactive_end_of_input_is_a_clean_stop(cli) -> None:
    r = cli("triage", stdin="n\nn\n")
    assert r.code == 130 and "Traceback" not in r.err


def test_interactive_not_improving_asks_days(cli) -> None:
    order = json.loads(cli("triage", "--list", "--json").out)
    replies = ["y" if row["id"] == "not_improving" else "n" for row in order]
    idx = [row["id"] for row in order].index("not_improving")
    replies.insert(idx + 1, "1")
    r = cli("triage", "--json", stdin="\n".join(replies) + "\n")
    assert json.loads(r.out)["urgency"] == "self-care"


def test_the_interactive_triage_asks_age_last_and_uses_it(cli) -> None:
    from tests.contract import FINDING_TIERS

    r = cli("triage", "--json", stdin="n\n" * len(FINDING_TIERS) + "12\n")
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert result["urgency"] == "soon"
    assert [x["finding"] for x in result["reasons"]] == ["age_under_16"]
