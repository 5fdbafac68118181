"""The application: one store opened per process, the pages, the API and the feeds mounted on it.

Read-only but for one thing: every route is a GET (HEAD answered too), except the few POSTs of the
sign-up to e-mail alerts (web/alerts.py, offered only when `[alertes]` is configured).
Handlers are `async def`: what they do is a few indexed reads and a template, cheaper than the
hop to a worker thread that a plain `def` costs; the two exports, long, stay on the thread pool.
Searches are the exception: their cost is bounded (store/query.py, store/search.py) but up to a
hundred times a page's, and a search run on the event loop holds every other request of its
process, even those answered from the cache: under 20 clients sending the costliest accepted
searches, a cached page took 0.7 s (p50, bench/hostile.py). `OffLoop` runs them on a worker
thread, one at a time per process (two let the page wait longer, for no more searches on SQLite).
Errors are answered in French: JSON `{"detail"}` under /api and for a page's JSON or CSV twin, a
line of text for the feeds, an HTML page elsewhere — never a traceback. Every answer says
`X-Content-Type-Options: nosniff`: a browser must not take a JSON or CSV answer, which quotes documents, for HTML or a script.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from recueil import config as settings
from recueil.store.browse import Browser, NotFound
from recueil.store.database import Store
from recueil.store.query import QueryError
from recueil.web import alerts, api, contract, crawlers, feeds, pages
from recueil.web.cache import ResponseCache
from recueil.web.format import FILTERS
from recueil.web.published import Published
from recueil.web.text import PublicText

log = logging.getLogger(__name__)
NOSNIFF = (b"x-content-type-options", b"nosniff")
SEARCHES = ("/api/search", "/recherche", "/feeds/search.atom")  # run off the event loop (`OffLoop`)
STATIC = Path(__file__).parent / "static"
_FIELD_ERRORS = {"int_parsing": "nombre entier attendu", "missing": "paramètre obligatoire",
                 "greater_than_equal": "trop petit", "less_than_equal": "trop grand",
                 "literal_error": "valeur non prévue", "string_too_long": "trop long"}


def templates(public: PublicText) -> Environment:
    """Jinja2 with autoescape on every template, and `public` for all document text."""
    env = Environment(loader=PackageLoader("recueil.web", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters.update(FILTERS)
    env.filters["public"] = public
    env.filters["public_snippet"] = public.snippet
    return env


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv"))


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    if request.url.path.startswith("/feeds/"):  # a feed reader shows a line of text, not a page
        return PlainTextResponse(message + "\n", status_code=status)
    return pages.render(request, "error.html", {"status": status, "message": message}, status)


def _query_error(request: Request, error: Exception) -> Response:
    return _error(request, 400, str(error))


def _not_found(request: Request, error: Exception) -> Response:
    return _error(request, 404, str(error))


def _invalid(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    reasons = "; ".join(f"{e['loc'][-1]} : {_FIELD_ERRORS.get(e['type'], 'valeur invalide')}" for e in error.errors())
    return _error(request, 400, f"paramètre invalide — {reasons}")


def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    messages = {404: "page introuvable", 405: "méthode non autorisée : ce site est en lecture seule"}
    response = _error(request, error.status_code, messages.get(error.status_code, str(error.detail)))
    if error.headers:
        response.headers.update(error.headers)
    return response


def _crash(request: Request, error: Exception) -> Response:
    """Answered outside the application's middleware (by Starlette's last resort): `NoSniff` is set here."""
    log.exception("erreur interne sur %s", request.url.path, exc_info=error)
    response = _error(request, 500, "erreur interne : la page n'a pas pu être construite")
    response.headers["x-content-type-options"] = "nosniff"
    return response


class PublishedFiles(StaticFiles):
    """The published files, served only while their folder is a folder: before the first
    `recueil publish` (or when the path is a file) every URL is a 404, not a crash; Starlette
    keeps the paths inside the folder."""

    async def check_config(self) -> None:
        """Checked on each request instead (the folder may appear while the site runs)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if not os.path.isdir(self.directory or ""):
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)


async def _no_nul(request: Request) -> None:
    """A NUL byte fits no identifier, and PostgreSQL refuses it in a string: 404 before any read."""
    if any("\x00" in str(value) for value in request.path_params.values()):
        raise HTTPException(status_code=404)


class NoSniff:
    """Adds `X-Content-Type-Options: nosniff` to every answer; inside the cache, which keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), NOSNIFF]}
            await send(message)

        await self.app(scope, receive, with_header)


class OffLoop:
    """Runs the requests under `paths` on a worker thread, in an event loop of its own, at most
    `at_once` together: the process's event loop stays free for the other requests meanwhile."""

    def __init__(self, app: ASGIApp, paths: tuple[str, ...], at_once: int = 1) -> None:
        self.app = app
        self.paths = paths
        self.at_once = at_once
        self.limiter: tuple[asyncio.AbstractEventLoop, anyio.CapacityLimiter] | None = None  # made in the loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.paths):
            return await self.app(scope, receive, send)
        loop = asyncio.get_running_loop()
        if self.limiter is None or self.limiter[0] is not loop:  # one per event loop (a test client starts others)
            self.limiter = (loop, anyio.CapacityLimiter(self.at_once))

        def on_loop(call: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
            async def relayed(*args: Any) -> Any:  # receive and send belong to the server's loop
                return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(_awaited(call(*args)), loop))
            return relayed

        handled = _awaited(self.app(scope, on_loop(receive), on_loop(send)))
        await anyio.to_thread.run_sync(asyncio.run, handled, limiter=self.limiter[1])


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    """An awaitable as a coroutine, what another thread's event loop is given."""
    return await awaitable


class HeadAsGet:
    """Answers HEAD as the GET of the same URL without its body (FastAPI routes list GET only)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def create_app(db: str | None = None, cache: bool = True, publications: Path | None = None) -> FastAPI:
    """The site over the store at `db` (SQLAlchemy URL or SQLite path; default RECUEIL_DB, then
    recueil.db) and the published files of `publications` (default RECUEIL_PUBLICATIONS, then
    ./publications, as `recueil publish` writes them); `cache`: keep whole answers until the store
    or the register changes (web/cache.py)."""
    app = FastAPI(title="recueil", version="0.1.0",
                  description="Les actes du Département : recherche plein texte, délibérations, séances, "
                              "conseillers, arrêtés de voirie. Lecture seule ; chaque liste existe aussi en CSV "
                              "(`?format=csv`).", dependencies=[Depends(_no_nul)],
                  docs_url=None, redoc_url=None)
    app.openapi = lambda: contract.document(app)  # type: ignore[method-assign]
    store = Store(db)
    state: Any = app.state
    state.store = store
    state.browser = Browser(store)
    state.config = settings.load()
    state.public = PublicText(state.browser, state.config.publication.masquer_personnes)
    state.templates = templates(state.public)
    state.templates.globals["alerts_offered"] = state.config.alertes is not None
    state.templates.globals["collectivite"] = state.config.collectivite.nom
    state.annex_texts = pages.AnnexTexts(state.public)
    folder = publications or Path(os.environ.get("RECUEIL_PUBLICATIONS") or "publications")
    state.published = Published(folder)
    handlers: dict[Any, Any] = {QueryError: _query_error, NotFound: _not_found, RequestValidationError: _invalid,
                                HTTPException: _http, Exception: _crash}
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(feeds.router)
    app.include_router(alerts.router)
    app.include_router(crawlers.router)
    app.include_router(contract.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/publications", PublishedFiles(directory=folder, check_dir=False), name="publications")
    app.add_middleware(OffLoop, paths=SEARCHES)
    app.add_middleware(NoSniff)
    if cache:
        app.add_middleware(ResponseCache, version=lambda: (state.browser.version(), state.published.version()))
    app.add_middleware(HeadAsGet)
    return app
