"""The one place the public site takes input to keep: the sign-up to an e-mail alert on a search.

POST /alertes (the form of the search page) saves a pending subscription and mails its owner a
confirmation link; GET /alertes/confirmation shows a button that POSTs the confirmation (a link
scanner opening the mail confirms nothing); /alertes/desabonnement likewise, and also takes the
one-click POST of RFC 8058 that mail readers send from the List-Unsubscribe header.

Safe against forged requests: the sign-up and the confirmation must come from a page of this site
(`Sec-Fetch-Site` says same-origin, or else `Origin`, else `Referer`, names its host); unsubscribing needs
the subscription's secret token, which only its mails carry. The answer to a sign-up is the same
whether the address is new, already subscribed or has had its share of mails today: nothing tells
who subscribed. The GET pages do not read the store (a cached answer stays right); they are not
kept by browsers nor sent as referrer to another site, since their address holds the token.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from recueil import alerts
from recueil.config import AlertSettings
from recueil.store import alerts as subscriptions
from recueil.store.query import QueryError
from recueil.web import pages

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
MAX_FORM = 8 * 1024  # bytes of a sign-up form: an address and a search
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}  # the token stays on this site


def _settings(request: Request) -> AlertSettings:
    """The [alertes] settings; without them the site offers no alerts (404)."""
    found: AlertSettings | None = request.app.state.config.alertes
    if found is None:
        raise HTTPException(404)
    return found


def _same_origin(request: Request, settings: AlertSettings) -> bool:
    """Whether the request comes from a page of this site (its host, or that of `[alertes] site`)."""
    fetched_from = request.headers.get("sec-fetch-site")  # set by the browser, out of reach of a page's scripts
    if fetched_from in ("cross-site", "same-site"):
        return False
    if fetched_from == "same-origin":
        return True
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    host = urlsplit(source).netloc if source != "null" else ""
    return bool(host) and host in {request.headers.get("host"), urlsplit(settings.site).netloc}


def _from_this_site(request: Request, settings: AlertSettings) -> None:
    if not _same_origin(request, settings):
        raise HTTPException(403, "demande refusée : elle doit venir d'un formulaire de ce site")


async def _form(request: Request) -> dict[str, str]:
    """A URL-encoded form body (the only kind these forms send), bounded."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise HTTPException(413, "formulaire trop long")
    try:
        return dict(parse_qsl(body.decode("utf-8"), max_num_fields=32))
    except (UnicodeDecodeError, ValueError) as error:
        raise HTTPException(400, "formulaire illisible") from error


def _page(request: Request, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    response = pages.render(request, "alert.html", context, status)
    response.headers.update(PRIVATE)
    return response


@router.post("/alertes")
async def sign_up(request: Request) -> Response:
    """Takes an address and the search of the page; mails the confirmation link to that address."""
    settings = _settings(request)
    _from_this_site(request, settings)
    form = await _form(request)
    client = request.client.host if request.client else ""
    status, context = await run_in_threadpool(_sign_up, request, settings, form, client)
    return _page(request, context, status)


def _sign_up(request: Request, settings: AlertSettings, form: dict[str, str], client: str) -> tuple[int, dict[str, Any]]:
    """The sign-up's checks, its row and its mail, on a worker thread (a search to check, a write,
    an SMTP exchange): the status and the page's context."""
    try:
        email = subscriptions.address(form.get("courriel", ""))
        search = subscriptions.saved_search(form)
        pages.browser(request).search(search.get("q", ""), search.get("type"), search.get("from"), search.get("to"),
                                      1, 0, search.get("filters"))
    except (subscriptions.SignUpRefused, QueryError) as error:
        return 400, {"step": "refused", "message": str(error)}
    store = request.app.state.store
    try:
        token = subscriptions.subscribe(store, email, search, client)
    except subscriptions.SignUpRefused as error:
        return 429, {"step": "refused", "message": str(error)}
    if token:
        try:
            alerts.send(settings, alerts.confirmation(settings, email, token, search))
        except alerts.MailError as error:
            log.error("courriel de confirmation non envoyé : %s", error)
            subscriptions.unsubscribe(store, token)
            return 503, {"step": "failed"}
    return 200, {"step": "asked", "search": alerts.describe(search), "days": subscriptions.CONFIRM_DAYS}


@router.get("/alertes/confirmation")
async def confirmation_page(request: Request, jeton: str = "") -> Response:
    _settings(request)
    return _page(request, {"step": "confirm", "token": jeton})


@router.post("/alertes/confirmation")
async def confirm(request: Request, jeton: str = "") -> Response:
    settings = _settings(request)
    _from_this_site(request, settings)
    found = await run_in_threadpool(subscriptions.confirm, request.app.state.store, jeton)
    if found is None:
        return _page(request, {"step": "unknown"}, 404)
    return _page(request, {"step": "confirmed", "search": alerts.describe(found.search), "token": jeton})


@router.get("/alertes/desabonnement")
async def unsubscribe_page(request: Request, jeton: str = "") -> Response:
    _settings(request)
    return _page(request, {"step": "leave", "token": jeton})


@router.post("/alertes/desabonnement")
async def unsubscribe(request: Request, jeton: str = "") -> Response:
    """From the page's button or a mail reader's one-click POST (RFC 8058): the token is the proof."""
    _settings(request)
    gone = await run_in_threadpool(subscriptions.unsubscribe, request.app.state.store, jeton)
    return _page(request, {"step": "left" if gone else "unknown"}, 200 if gone else 404)
