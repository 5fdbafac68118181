"""The one place where document text is prepared for public display.

Document text is untrusted: templates escape it (autoescape), and every display of a deliberation,
rapport, annex, intervention or vœu goes through the application's `public` filter, which masks
the names of private persons (publish/masking.py) unless the configuration turns it off
(`[publication] masquer_personnes = false`).
"""

from __future__ import annotations

from typing import Any

from recueil.publish.masking import mask, public_names
from recueil.store.browse import Browser


class PublicText:
    """`public(text)`: text as the public site may show it (still to be escaped by the template).

    The names kept public (the store's councillors and signatories) are read again when the store
    changes, so that a newly ingested séance's members are never masked."""

    def __init__(self, browser: Browser, masking: bool) -> None:
        self.browser = browser
        self.masking = masking
        self._names: set[str] = set()
        self._version: Any = None

    def __call__(self, text: str | None) -> str:
        if not text or not self.masking:
            return text or ""
        version = self.browser.version()
        if version != self._version:
            self._names, self._version = public_names(self.browser.store), version
        return mask(text, self._names).text
