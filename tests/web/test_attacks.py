"""What a hostile website can make the person's browser send to the app on
127.0.0.1, and what a careless or hostile client sends: each attack as it was
reproduced in the audit, now refused with nothing changed in the diary."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spasmcare.core.diary import Episode, HabitLog, PainEntry
from spasmcare.settings import Settings
from spasmcare.web.app import create_app
from spasmcare.web.security import FORM_COOKIE, FORM_FIELD
from tests.web.forms import start_episode, store

EVIL = "https://evil.example"


@pytest.fixture
def raw(client: TestClient) -> TestClient:
    """The same app without the page client's help: nothing is added to what
    the test sends (the test client keeps cookies, as a browser does)."""
    plain = TestClient(client.app, base_url="http://127.0.0.1")
    plain.get("/")  # the visit that sets the form cookie, as a first page view would
    return plain


def _counts(client: TestClient) -> tuple[Any, ...]:
    diary = store(client)
    return (len(diary.records(PainEntry)), len(diary.records(HabitLog)),
            diary.records(Episode), len(diary.changes()), hash(diary.settings()))


# --- DNS rebinding -----------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "", "[::2]:8000", "127.0.0.2",
                                  "[::1]evil.example", "[::1].evil.example:8000",
                                  "localhost:evil", "127.0.0.1:80:80"])
def test_a_foreign_host_name_is_refused(raw: TestClient, host: str) -> None:
    raw.post("/api/pain", json={"pain": 3}, headers={"Host": "127.0.0.1"})
    before = _counts(raw)
    read = raw.get("/api/export/json", headers={"Host": host})
    assert read.status_code == 400
    assert "pain" not in read.text
    wrote = raw.post("/api/pain", json={"pain": 4}, headers={"Host": host})
    assert wrote.status_code == 400
    assert raw.get("/", headers={"Host": host}).status_code == 400
    assert _counts(raw) == before


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:8000", "LOCALHOST",
                                  "[::1]:8000", "localhost."])
def test_this_machines_own_names_are_answered(raw: TestClient, host: str) -> None:
    assert raw.get("/api/insights", headers={"Host": host}).status_code == 200


def test_names_the_person_sets_are_answered(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.sqlite3'}",
                        allowed_hosts="backbook.lan, 192.168.1.20", host="192.168.1.30",
                        passphrase="a long passphrase")
    with TestClient(create_app(settings)) as c:
        for host in ("backbook.lan", "192.168.1.20:8000", "192.168.1.30", "127.0.0.1"):
            answer = c.get("/unlock", headers={"Host": host})
            assert answer.status_code == 200, host
        assert c.get("/unlock", headers={"Host": "evil.example"}).status_code == 400


# --- cross-site writes -------------------------------------------------------

def _routes(routes: list[Any], prefix: str = "") -> list[tuple[str, set[str]]]:
    """(path, methods) of every route, through included routers (FastAPI
    keeps those as objects of their own since 0.16x)."""
    found = []
    for route in routes:
        if hasattr(route, "original_router"):
            found += _routes(route.original_router.routes,
                             prefix + route.include_context.prefix)
        elif hasattr(route, "methods"):
            found.append((prefix + route.path, set(route.methods)))
    return found


def _page_posts(client: TestClient) -> list[str]:
    return sorted({path for path, methods in _routes(client.app.routes)  # type: ignore[attr-defined]
                   if "POST" in methods and not path.startswith("/api/")})


def _forms_of_the_audit(client: TestClient) -> list[tuple[str, dict[str, Any]]]:
    """Every page form, with a valid body. Call it before counting: the
    first call makes the change that the undo form names."""
    diary = store(client)
    episode = diary.open_episode()
    assert episode is not None
    changes = diary.changes()
    if not changes:
        made = diary.correct(episode.model_copy(update={"note": "mine"}), datetime.now(UTC))
        assert made is not None
        changes = [made]
    answers = {"answer": ["saddle_numbness=no", "bladder_retention=no"]}
    return [
        (f"/diary/episode/{episode.id}", {"onset": "2020-01-01T10:00", "note": "theirs"}),
        (f"/diary/episode/{episode.id}/delete", {}),
        (f"/diary/changes/{changes[-1].id}/undo", {}),
        ("/report/import", {}),
        ("/diary/new/habit", {"kind": "water", "amount": "1",
                              "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")}),
        ("/diary/pain", {"pain": "9", "impact": "none"}),
        ("/plan/checkin", {"pain": "9", "moves": "full", "worse": "yes"}),
        ("/plan/done", {"kind": "stretch"}),
        ("/prevention/habit", {"kind": "water", "amount": "1"}),
        ("/settings", {"wake": "03:00", "sleep": "04:00", "units": "imperial"}),
        ("/triage/start", {**answers, "onset": "1h"}),
        ("/plan/end", {}),
        ("/triage", {**answers, "finding": "fever", "reply": "no"}),
    ]


def test_every_page_form_route_is_covered_here(client: TestClient) -> None:
    """A new form route must be added to the list the attacks are tried on."""
    start_episode(client)
    tried = {path for path, _ in _forms_of_the_audit(client)} | {"/unlock", "/unlock/forget"}
    routes = set(_page_posts(client))
    covered = {route for route in routes
               if any(re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", route), p) for p in tried)}
    assert covered == routes


@pytest.mark.parametrize("headers", [
    {"Origin": EVIL},
    {"Origin": EVIL, "Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:3000"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1.evil.example"},
], ids=["origin", "origin+fetch-site", "fetch-site", "another-port", "null-origin", "lookalike"])
def test_cross_site_form_posts_change_nothing(client: TestClient, raw: TestClient,
                                              headers: dict[str, str]) -> None:
    """Even with a valid form token (the attacker cannot read it, but the
    Origin check must stand on its own), a post from another site is refused."""
    start_episode(client)
    forms = _forms_of_the_audit(client)
    before = _counts(client)
    token = raw.cookies[FORM_COOKIE]
    for path, form in forms:
        for encoding in ("form", "multipart"):
            body: dict[str, Any] = ({"data": {**form, FORM_FIELD: token}} if encoding == "form"
                                    else {"files": {FORM_FIELD: (None, token)},
                                          "data": form})
            answer = raw.post(path, headers=headers, follow_redirects=False, **body)
            assert answer.status_code == 403, (path, encoding, answer.text[:200])
            assert "another site" in answer.text
    assert _counts(client) == before


def test_form_posts_without_the_pages_token_change_nothing(client: TestClient,
                                                           raw: TestClient) -> None:
    """An older browser that sends no Origin and no Sec-Fetch-Site: the form
    token is what stops the post."""
    start_episode(client)
    forms = _forms_of_the_audit(client)
    before = _counts(client)
    for path, form in forms:
        real = raw.cookies[FORM_COOKIE]
        for token in (None, "", "x" * 43, real[:-1] + ("B" if real.endswith("A") else "A")):
            data = form if token is None else {**form, FORM_FIELD: token}
            answer = raw.post(path, data=data, follow_redirects=False)
            assert answer.status_code == 403, (path, token)
            assert "reload" in answer.text
    assert _counts(client) == before


def test_a_form_token_from_a_browser_without_the_cookie_is_refused(client: TestClient) -> None:
    token = client.cookies.get(FORM_COOKIE) or client.get("/").cookies[FORM_COOKIE]
    stranger = TestClient(client.app, base_url="http://127.0.0.1")
    answer = stranger.post("/diary/pain", data={"pain": "5", FORM_FIELD: token},
                           follow_redirects=False)
    assert answer.status_code == 403


def test_the_apps_own_pages_post_with_their_token(client: TestClient) -> None:
    """What the real forms do: the token in the page, the cookie from the visit."""
    page = client.get("/diary")
    token = re.search(rf'name="{FORM_FIELD}" value="([^"]+)"', page.text)
    assert token and token.group(1) == client.cookies[FORM_COOKIE]
    plain = TestClient(client.app, base_url="http://127.0.0.1", cookies=client.cookies)
    answer = plain.post("/diary/pain", data={"pain": "5", "impact": "none",
                                             FORM_FIELD: token.group(1)},
                        headers={"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-origin"},
                        follow_redirects=False)
    assert answer.status_code == 303
    assert len(store(client).records(PainEntry)) == 1


def test_every_post_form_in_the_templates_carries_the_token() -> None:
    folder = Path(__file__).resolve().parents[2] / "src" / "spasmcare" / "web" / "templates"
    for template in folder.glob("*.html"):
        for form in re.findall(r'<form method="post".*?</form>', template.read_text(), re.S):
            assert "form_token_field()" in form, template.name


@pytest.mark.parametrize(("kind", "body"), [
    ("application/x-www-form-urlencoded", "pain=7"),
    ("text/plain", '{"pain": 7}'),
    ("multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="pain"'
                                        '\r\n\r\n7\r\n--x--\r\n'),
])
def test_the_api_takes_no_body_a_cross_site_form_can_send(raw: TestClient, kind: str,
                                                          body: str) -> None:
    answer = raw.post("/api/pain", content=body, headers={"Content-Type": kind})
    assert answer.status_code == 415
    assert answer.json()["detail"].startswith("the API takes JSON")
    assert store(raw).records(PainEntry) == []


@pytest.mark.parametrize("headers", [{"Origin": EVIL}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "null"}])
def test_cross_site_api_writes_change_nothing(client: TestClient, raw: TestClient,
                                              headers: dict[str, str]) -> None:
    start_episode(client)
    episode = store(client).open_episode()
    assert episode is not None
    before = _counts(client)
    assert raw.post("/api/pain", json={"pain": 2}, headers=headers).status_code == 403
    assert raw.patch(f"/api/episodes/{episode.id}", json={"ended_at": "now"},
                     headers=headers).status_code == 403
    assert raw.put("/api/settings", json={"wake": "03:00", "sleep": "04:00", "units": "metric"},
                   headers=headers).status_code == 403
    assert _counts(client) == before


def test_the_apps_own_scripts_can_write(raw: TestClient) -> None:
    answer = raw.post("/api/pain", json={"pain": 2},
                      headers={"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 201


# --- headers -----------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/diary", "/plan", "/learn", "/report", "/settings",
                                  "/timer/ice", "/api/insights", "/static/app.css", "/sw.js",
                                  "/api/docs", "/no-such-page"])
def test_every_response_carries_the_protective_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    policy = headers["content-security-policy"]
    script = next(p for p in policy.split("; ") if p.startswith("script-src"))
    assert script == "script-src 'self'"
    assert "frame-ancestors 'none'" in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_the_api_docs_load_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert not re.search(r'(src|href)="(https?:)?//', page.text)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        assert client.get(asset).status_code == 200, asset


def test_api_answers_are_not_kept_by_the_browser(client: TestClient) -> None:
    assert client.get("/api/pain").headers["cache-control"] == "no-store"


# --- sizes -------------------------------------------------------------------

def test_a_body_over_the_limit_is_refused_before_it_is_read(raw: TestClient) -> None:
    big = b'{"pain": 5, "note": "' + b"x" * 2_000_000 + b'"}'
    answer = raw.post("/api/pain", content=big, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert store(raw).records(PainEntry) == []


def test_a_streamed_body_over_the_limit_is_refused(raw: TestClient) -> None:
    def chunks() -> Any:
        for _ in range(40):
            yield b"x" * 65536

    answer = raw.post("/api/pain", content=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413


# --- the passphrase ------------------------------------------------------------

@pytest.fixture
def locked(tmp_path: Path) -> Any:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.sqlite3'}",
                        passphrase="correct horse battery")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        yield c


def _unlock(c: TestClient, passphrase: str, next_: str = "/diary") -> Any:
    c.get("/unlock")
    return c.post("/unlock", data={"passphrase": passphrase, "next": next_,
                                   FORM_FIELD: c.cookies[FORM_COOKIE]}, follow_redirects=False)


def test_a_locked_diary_shows_nothing_before_the_passphrase(locked: TestClient) -> None:
    assert locked.get("/diary", follow_redirects=False).headers["location"] == \
        "/unlock?next=%2Fdiary"
    assert locked.get("/api/export/json").status_code == 401
    assert locked.post("/api/pain", json={"pain": 5}).status_code == 401
    assert locked.get("/static/app.css").status_code == 200
    assert _unlock(locked, "wrong guess").status_code == 401
    assert locked.get("/api/pain").status_code == 401


def test_the_passphrase_unlocks_this_browser_only(locked: TestClient) -> None:
    answer = _unlock(locked, "correct horse battery")
    assert answer.status_code == 303 and answer.headers["location"] == "/diary"
    assert locked.get("/api/pain").status_code == 200
    other = TestClient(locked.app, base_url="http://127.0.0.1")
    assert other.get("/api/pain").status_code == 401
    assert other.get("/api/pain", headers={"Authorization": "Bearer correct horse battery"}
                     ).status_code == 200


def test_guessing_the_passphrase_is_slowed(locked: TestClient) -> None:
    for _ in range(5):
        assert _unlock(locked, "guess").status_code == 401
    assert _unlock(locked, "correct horse battery").status_code == 429


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_unlocking_never_sends_the_browser_elsewhere(locked: TestClient, target: str) -> None:
    assert _unlock(locked, "correct horse battery", target).headers["location"] == "/"


def test_listening_beyond_this_machine_needs_a_passphrase(cli: Any) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--port", "1")
    assert result.code == 2
    assert "SPASMCARE_PASSPHRASE" in result.err
    assert len(result.err.strip().splitlines()) == 1


# --- inputs that used to be server errors ----------------------------------------

@pytest.mark.parametrize("url", [
    "/api/export/json?to=9999-12-31", "/api/export/json?from=0001-01-01",
    "/report/download?format=pdf&to=9999-12-31", "/report/download?format=pdf&to=0001-01-01",
    "/report/download?format=csv&from=0001-01-01&to=9999-12-31",
])
def test_dates_at_the_ends_of_the_calendar_are_refused_not_crashed(client: TestClient,
                                                                   url: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 400, answer.text[:300]
    assert "1900" in answer.text or "2999" in answer.text


@pytest.mark.parametrize("pain", ["²", "①", "٥", "5" * 5000, "1e3", " "])
def test_pain_typed_as_odd_digits_is_a_form_error(client: TestClient, pain: str) -> None:
    answer = client.post("/diary/pain", data={"pain": pain, "impact": "none"},
                         follow_redirects=False)
    assert answer.status_code == 400
    assert "whole number from 0 to 10" in answer.text
    assert store(client).records(PainEntry) == []


def test_a_server_open_to_the_network_asks_for_its_passphrase(tmp_path: Path) -> None:
    import urllib.error
    import urllib.request

    from tests.servers import running

    passphrase = "a long shared passphrase"
    with running(tmp_path, args=("--host", "0.0.0.0"),
                 env={"SPASMCARE_PASSPHRASE": passphrase}) as server:
        def status(path: str, **headers: str) -> int:
            request = urllib.request.Request(server.url + path, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    return int(answer.status)
            except urllib.error.HTTPError as err:
                return int(err.code)

        assert status("/api/export/json") == 401
        assert status("/api/export/json", Authorization=f"Bearer {passphrase}") == 200
        assert status("/api/export/json", Host="evil.example",
                      Authorization=f"Bearer {passphrase}") == 400
        # A local process posing as other addresses through X-Forwarded-For
        # is still one address: the sixth wrong guess waits.
        codes = [status("/api/pain", Authorization=f"Bearer guess{i}",
                        **{"X-Forwarded-For": f"10.8.{i}.1"}) for i in range(6)]
        assert codes == [401] * 5 + [429]


def test_a_short_passphrase_is_refused(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPASMCARE_PASSPHRASE", "short")
    result = cli("serve", "--host", "0.0.0.0", "--port", "1")
    assert result.code == 2 and "at least 10 characters" in result.err


# --- found in review ------------------------------------------------------------

@pytest.mark.parametrize("token", ["é", "é" * 43, "\u202e" * 50, "x" * 43 + "." + "0" * 32])
def test_odd_form_tokens_are_refused_not_crashed(raw: TestClient, token: str) -> None:
    answer = raw.post("/diary/pain", data={"pain": "5", FORM_FIELD: token},
                      follow_redirects=False)
    assert answer.status_code == 403


def test_a_form_cookie_planted_by_another_app_is_not_a_token(client: TestClient) -> None:
    """Cookies for 127.0.0.1 are shared by every port: another local app could
    set one. Only a token this app signed counts."""
    planted = "p" * 43 + "." + "0" * 32
    stranger = TestClient(client.app, base_url="http://127.0.0.1",
                          cookies={FORM_COOKIE: planted})
    answer = stranger.post("/diary/pain", data={"pain": "5", FORM_FIELD: planted},
                           follow_redirects=False)
    assert answer.status_code == 403
    assert store(client).records(PainEntry) == []


def test_an_origin_with_another_scheme_is_another_site(raw: TestClient) -> None:
    answer = raw.post("/api/pain", json={"pain": 2}, headers={"Origin": "https://127.0.0.1"})
    assert answer.status_code == 403


def test_a_hidden_origin_on_a_same_origin_post_is_allowed(client: TestClient) -> None:
    """Browsers send Origin: null when a strict referrer setting hides it;
    Sec-Fetch-Site still says where the post came from."""
    answer = client.post("/diary/pain", data={"pain": "5", "impact": "none"},
                         headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
                         follow_redirects=False)
    assert answer.status_code == 303


def test_guessing_the_passphrase_as_a_bearer_token_is_slowed(locked: TestClient) -> None:
    for _ in range(5):
        assert locked.get("/api/pain", headers={"Authorization": "Bearer guess"}
                          ).status_code == 401
    assert locked.get("/api/pain", headers={"Authorization": "Bearer correct horse battery"}
                      ).status_code == 429


def test_the_app_is_not_built_to_listen_beyond_this_machine_without_a_passphrase(
        tmp_path: Path) -> None:
    from spasmcare.core.errors import BadInput

    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    with pytest.raises(BadInput, match="no passphrase"):
        create_app(Settings(database_url=url, host="0.0.0.0"))
    with pytest.raises(BadInput, match="at least 10"):
        create_app(Settings(database_url=url, host="0.0.0.0", passphrase="short"))


def test_without_a_passphrase_only_this_machine_may_connect(client: TestClient) -> None:
    neighbour = TestClient(client.app, base_url="http://127.0.0.1",
                           client=("192.168.1.50", 50000))
    assert neighbour.get("/api/export/json").status_code == 403
    local = TestClient(client.app, base_url="http://127.0.0.1", client=("127.0.0.1", 50000))
    assert local.get("/api/insights").status_code == 200


def test_refusals_and_server_errors_carry_the_protective_headers(raw: TestClient) -> None:
    refused = raw.get("/api/pain", headers={"Host": "evil.example"})
    assert refused.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in refused.headers["content-security-policy"]


def test_a_locked_diary_takes_only_small_bodies_before_the_passphrase(locked: TestClient) -> None:
    locked.get("/unlock")
    answer = locked.post("/unlock", data={"passphrase": "x" * 20_000,
                                          FORM_FIELD: locked.cookies[FORM_COOKIE]})
    assert answer.status_code == 413


def test_locking_a_browser_again_clears_what_it_kept(locked: TestClient) -> None:
    _unlock(locked, "correct horse battery")
    assert 'action="/unlock/forget"' in locked.get("/settings").text
    answer = locked.post("/unlock/forget", data={FORM_FIELD: locked.cookies[FORM_COOKIE]},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["clear-site-data"] == '"cache", "storage"'
    assert locked.get("/api/pain").status_code == 401


def test_a_time_stored_before_1900_in_utc_is_refused(raw: TestClient) -> None:
    """1900-01-01 at +23:59 is 1899 in UTC, which an import would refuse."""
    answer = raw.post("/api/pain", json={"pain": 3, "at": "1900-01-01T00:00:00+23:59"})
    assert answer.status_code == 422


@pytest.mark.parametrize("name", ["Origin", "Host", "Sec-Fetch-Site", "Content-Type"])
def test_a_repeated_security_header_is_refused(raw: TestClient, name: str) -> None:
    values = {"Origin": [EVIL, "http://127.0.0.1"], "Host": ["evil.example", "127.0.0.1"],
              "Sec-Fetch-Site": ["cross-site", "same-origin"],
              "Content-Type": ["text/plain", "application/json"]}[name]
    headers = [(name, v) for v in values] + ([("Content-Type", "application/json")]
                                             if name != "Content-Type" else [])
    answer = raw.post("/api/pain", content=b'{"pain": 4}', headers=headers)
    assert answer.status_code == 400
    assert store(raw).records(PainEntry) == []
