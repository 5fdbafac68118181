"""A cache of whole GET responses, emptied when the store changes.

The site is read-only: a page or an API answer depends only on its URL and on the documents
stored. So the first answer to a URL is kept (in this process, least recently used first out)
and served again until a document is stored or replaced — `Browser.version`, looked up at most
once a second. Only complete 200 answers of moderate size are kept: errors and the large
exports are always recomputed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUDGET = 64 * 1024 * 1024  # bytes of bodies kept, per process
MAX_BODY = 512 * 1024  # bytes: larger answers (the exports) are not kept


class ResponseCache:
    """ASGI middleware; `version()` says which state of the store the kept answers belong to."""

    def __init__(self, app: ASGIApp, version: Callable[[], Hashable], budget: int = BUDGET) -> None:
        self.app = app
        self.version = version
        self.budget = budget
        self.kept: OrderedDict[tuple[Any, ...], tuple[int, list[Message]]] = OrderedDict()
        self.size = 0
        self.kept_version: Hashable = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        version = self.version()
        if version != self.kept_version:
            self.kept.clear()
            self.size = 0
            self.kept_version = version
        key = (scope["path"], scope["query_string"])  # no answer depends on the Host header
        found = self.kept.get(key)
        if found is not None:
            self.kept.move_to_end(key)
            for message in found[1]:
                await send(message)
            return
        messages: list[Message] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal size
            messages.append(message)
            size += len(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        complete = messages and messages[-1]["type"] == "http.response.body" and not messages[-1].get("more_body")
        if complete and messages[0].get("status") == 200 and size <= MAX_BODY and key not in self.kept:
            self.kept[key] = (size, messages)
            self.size += size
            while self.size > self.budget:
                self.size -= self.kept.popitem(last=False)[1][0]
