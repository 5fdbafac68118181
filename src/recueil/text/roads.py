"""Departmental roads as printed ("RD 939", "D939", "R.D. 939") reduced to one key, so that a road
typed in a search, a feed or a calendar filter finds the road codes the sommaires give."""

from __future__ import annotations

import re

from recueil.text.clean import fold

_ROAD = re.compile(r"^(?:RD|D)?(\d+[A-Z0-9]*)$")


def road_key(road: str) -> str | None:
    """ "RD 939", "D939", "rd939", "939" → "d939"; None when the text is no road number."""
    match = _ROAD.match(re.sub(r"[\s.]", "", fold(road)))
    return f"d{match[1].lower()}" if match else None
