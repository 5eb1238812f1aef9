"""POST /api/ask answers exactly what ``spasmcare ask --json`` prints
(CONTRACTS section 2)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from spasmcare.core.loader import load_index, load_knowledge
from spasmcare.core.questions.answering import MAX_QUESTION_CHARS, answer


@pytest.mark.parametrize("question", [
    "my back locked up when I bent over, heat or ice?",
    "how do I lower my cholesterol?",
    "I want to end it all, my back has hurt for years",
])
def test_ask_answers_what_the_core_answers(client: TestClient, question: str) -> None:
    r = client.post("/api/ask", json={"question": question})
    assert r.status_code == 200, r.text
    assert r.json() == answer(question, load_knowledge(), load_index()).to_dict()


def test_ask_shape(client: TestClient) -> None:
    out = client.post("/api/ask", json={"question": "is naproxen ok for a back spasm"}).json()
    assert list(out) == ["in_scope", "answers", "safety"]
    assert list(out["safety"]) == ["urgency", "message", "findings", "crisis"]
    assert out["in_scope"] is True and 1 <= len(out["answers"]) <= 3
    assert list(out["answers"][0]) == ["topic", "title", "text", "sources", "score"]


@pytest.mark.parametrize("body", [
    {},
    {"question": 42},
    {"question": "x" * (MAX_QUESTION_CHARS + 1)},
    {"question": "heat?", "extra": True},
    {"question": ""},
    {"question": "   "},
    {"question": "heat\x00ice"},
])
def test_ask_refuses_malformed_requests(client: TestClient, body: dict[str, object]) -> None:
    r = client.post("/api/ask", json=body)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert isinstance(detail, str) and detail.strip() and "\n" not in detail
