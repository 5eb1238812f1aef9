"""The protections as a real browser meets them: the pages run under their
Content-Security-Policy without a single violation (the API docs included,
drawn from local files), the service worker keeps no exported file, and a
queued session flushed by two tabs at once is stored once."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser import conftest
from tests.browser import server_api as api
from tests.browser.conftest import Server, screenshot

pytestmark = conftest.pytestmark

PAGES = ["/", "/plan", "/diary", "/timer/ice", "/learn?q=can+i+use+ice", "/report", "/insights",
         "/prevention", "/settings", "/triage"]


def test_no_page_breaks_its_content_security_policy(server: Server, phone: Page) -> None:
    api.start_episode(server, hours_ago=3)
    problems: list[str] = []
    phone.on("console", lambda m: problems.append(m.text)
             if "Content Security Policy" in m.text or m.type == "error" else None)
    outside: list[str] = []
    phone.on("request", lambda r: outside.append(r.url)
             if not r.url.startswith(server.url) and not r.url.startswith("data:") else None)
    for path in PAGES:
        phone.goto(server.url + path)
        phone.wait_for_load_state("networkidle")
    assert problems == []
    assert outside == []


def test_the_api_docs_work_offline_from_local_files(server: Server, desktop: Page) -> None:
    outside: list[str] = []
    desktop.on("request", lambda r: outside.append(r.url)
               if not r.url.startswith(server.url) and not r.url.startswith("data:") else None)
    violations: list[str] = []
    desktop.on("console", lambda m: violations.append(m.text)
               if "Content Security Policy" in m.text else None)
    desktop.goto(server.url + "/api/docs")
    expect(desktop.locator(".swagger-ui .info .title")).to_contain_text("SpasmCare")
    expect(desktop.locator(".opblock-tag").first).to_be_visible()
    screenshot(desktop, "api-docs")
    assert outside == []
    assert [v for v in violations if "script" in v] == []


def test_the_service_worker_keeps_no_exported_file(server: Server, phone: Page) -> None:
    api.start_episode(server, hours_ago=3)
    phone.goto(server.url + "/report")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()  # now the worker controls the page
    assert phone.evaluate("navigator.serviceWorker.controller !== null")
    for fmt in ("csv", "json", "fhir", "pdf"):
        status = phone.evaluate(
            f"fetch('/report/download?format={fmt}').then(r => r.blob().then(() => r.status))")
        assert status == 200
    kept = phone.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) urls.push(request.url);
        }
        return urls;
    }""")
    assert kept, "the worker keeps the app shell"
    assert not [u for u in kept if "/report/download" in u or "/api/" in u]


def test_a_queued_session_flushed_by_two_tabs_at_once_is_stored_once(
        server: Server, phone: Page) -> None:
    api.start_episode(server, hours_ago=3)
    phone.goto(server.url + "/timer")
    other = phone.context.new_page()
    other.goto(server.url + "/timer")
    item = ('{"id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "url": "/api/sessions", "body": '
            '{"kind": "ice", "started_at": new Date(Date.now() - 1200000).toISOString(), '
            '"minutes": 20, "pain_before": 6, "pain_after": 4}}')
    phone.evaluate(f"localStorage.setItem('spasmcare.outbox', JSON.stringify([{item}]))")
    # Both tabs see the same queue and send it at the same moment.
    phone.evaluate("Promise.all([window.SpasmOutbox.flush()])")
    other.evaluate("window.SpasmOutbox.flush()")
    phone.wait_for_function("() => window.SpasmOutbox.pending() === 0")
    other.evaluate(f"localStorage.setItem('spasmcare.outbox', JSON.stringify([{item}]))")
    other.evaluate("window.SpasmOutbox.flush()")  # the answer was lost: it is sent again
    other.wait_for_function("() => window.SpasmOutbox.pending() === 0")
    sessions = api.get(server, "/api/sessions")
    assert len(sessions) == 1
    assert (sessions[0]["kind"], sessions[0]["pain_after"]) == ("ice", 4)


def test_a_locked_diary_keeps_no_unlock_page_in_place_of_the_app(tmp_path: Path,
                                                                 phone: Page) -> None:
    """The worker installs from the unlock page, while every page redirects
    there: it must not keep those redirects as the plan or the timers."""
    from tests.servers import running

    with running(tmp_path, args=("--host", "0.0.0.0"),
                 env={"SPASMCARE_PASSPHRASE": "correct horse battery"}) as server:
        phone.goto(server.url + "/unlock")
        phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
        kept = phone.evaluate("""async () => {
            const found = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    const response = await cache.match(request);
                    found.push([new URL(request.url).pathname, response.redirected,
                                new URL(response.url || request.url).pathname]);
                }
            }
            return found;
        }""")
        assert kept, "the static files are kept"
        assert [k for k in kept if k[1] or k[2] == "/unlock"] == []
        assert "/plan" not in [k[0] for k in kept]
