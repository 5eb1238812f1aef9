"""The passphrase page: when the web app listens beyond this machine, a
browser sees nothing of the diary until it has given the passphrase."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.web import routing
from spasmcare.web.deps import FormDep
from spasmcare.web.pages.templates import templates
from spasmcare.web.passphrase import SESSION_SECONDS, Lock
from spasmcare.web.security import UNLOCK_COOKIE

router = routing.router()


def _lock(request: Request) -> Lock:
    return request.app.state.lock  # type: ignore[no-any-return]


def _next(target: str) -> str:
    """Only a path of this app: never another site (an open redirect)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


@router.get("/unlock", response_class=HTMLResponse)
def unlock_page(request: Request, next: str = "/") -> Response:
    if not _lock(request).enabled:
        return RedirectResponse("/", status_code=303)
    return templates.TemplateResponse(request, "unlock.html", {"next": _next(next)})


@router.post("/unlock", response_class=HTMLResponse)
def unlock(request: Request, form: FormDep) -> Response:
    lock = _lock(request)
    target = _next(str(form.get("next") or "/"))
    if not lock.enabled:
        return RedirectResponse("/", status_code=303)
    tried = lock.attempt(request.client.host if request.client else "?",
                         str(form.get("passphrase") or ""))
    if tried == "wait":
        return templates.TemplateResponse(
            request, "unlock.html", {"next": target, "error": "Too many tries. Wait a minute, "
                                     "then try again."}, status_code=429)
    if tried == "wrong":
        return templates.TemplateResponse(
            request, "unlock.html", {"next": target, "error": "That is not the passphrase."},
            status_code=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(UNLOCK_COOKIE, lock.open_session(), max_age=SESSION_SECONDS,
                        httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response


@router.post("/unlock/forget", response_class=HTMLResponse)
def forget(request: Request) -> Response:
    """Lock this browser again."""
    _lock(request).close(request.cookies.get(UNLOCK_COOKIE))
    response = RedirectResponse("/unlock", status_code=303)
    response.delete_cookie(UNLOCK_COOKIE, path="/")
    # The pages the service worker kept hold the diary: they go too.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
