"""The one place where document text is prepared for public display.

Document text is untrusted: templates escape it (autoescape), and every display of a deliberation,
rapport, annex, intervention or vœu goes through the application's `public` filter, which masks
the names of private persons (publish/masking.py) unless the configuration turns it off
(`[publication] masquer_personnes = false`): pages, snippets of search results (`snippet`), and the
records the API and the open-data download give (`record`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from recueil.publish.masking import Masker, public_names
from recueil.store.browse import Browser
from recueil.store.ranking import Fragment


class PublicText:
    """`public(text)`: text as the public site may show it (still to be escaped by the template).

    The names kept public (the store's councillors and signatories) are read again when the store
    changes, so that a newly ingested séance's members are never masked."""

    def __init__(self, browser: Browser, masking: bool) -> None:
        self.browser = browser
        self.masking = masking
        self._masker = Masker()
        self._version: Any = None

    def __call__(self, text: str | None) -> str:
        if not text or not self.masking:
            return text or ""
        version = self.browser.version()
        if version != self._version:
            self._masker, self._version = Masker(public_names(self.browser.store)), version
        return self._masker(text).text

    def snippet(self, fragments: Sequence[Fragment]) -> list[Fragment]:
        """A search snippet masked as one text (a name may span fragments): unchanged when it names
        no private person, else the masked text without its highlights."""
        whole = "".join(f.text for f in fragments)
        masked = self(whole)
        return list(fragments) if masked == whole else [Fragment(masked)]

    def record(self, value: Any) -> Any:
        """A record (or any part of one) with every `text` in it masked: the act, its articles and
        visas, a rapport, a speaking turn, a vœu."""
        if isinstance(value, dict):
            return {key: self(item) if key == "text" and isinstance(item, str) else self.record(item)
                    for key, item in value.items()}
        if isinstance(value, list):
            return [self.record(item) for item in value]
        return value
