"""Where the site shows each record: the one place the store, the exports and the pages take a
record's address from, so that a link from a search hit, a feed or a calendar never goes stale."""

from __future__ import annotations


def record_url(type: str, key: str, act: str | None = None) -> str | None:
    """The page (and anchor) of a record of the search index: `key` is the entry's key, `act` the
    number of the deliberation a rapport is attached to (a rapport without one has no page)."""
    if type == "deliberation":
        return f"/deliberations/{key}"
    if type == "report":
        return f"/deliberations/{act}#rapport" if act else None
    if type in ("intervention", "motion"):
        sitting, _, anchor = key.partition("/")
        return f"/seances/{sitting}#{anchor}"
    document, _, anchor = key.partition("/")
    return f"/documents/{document}#{anchor}"
