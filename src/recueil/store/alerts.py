"""The subscriptions to e-mail alerts on a saved search: sign-up, confirmation, unsubscription,
and what each confirmed one has not been sent yet.

An address is personal data: it is stored for the alerts only, with the search it asked for;
a sign-up left unconfirmed is deleted after `CONFIRM_DAYS`, a subscription is deleted (its row and
what it was sent) when its owner unsubscribes. Each subscription has a random token, the secret
of the links of its mails (confirm, unsubscribe): whoever signs an address up never sees it.
Sign-ups are limited by address and by client (`MAX_PER_ADDRESS`, `MAX_PER_CLIENT`), counted in
`alert_attempts` under a digest of each, kept one day.

What a subscription is sent: the search hits among the entries of the documents stored since its
last sending (`sent_until`, an instant of `documents.ingested_at`, set at confirmation), less
those already sent (`alert_sent`), so that a run repeated, or a document stored again, sends
nothing twice.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, select, tuple_, update

from recueil.store import schema
from recueil.store.database import Store
from recueil.store.facets import FILTERS
from recueil.store.search import Hit

CONFIRM_DAYS = 7  # an unconfirmed sign-up (and its link) lasts this long
MAX_PER_ADDRESS = 3  # confirmation mails to one address a day
MAX_PER_CLIENT = 10  # sign-ups from one client an hour
MAX_ADDRESS = 254  # characters (RFC 5321's path)
# Deliberately narrow: one mailbox, no display name, comment or quoted part, nothing a header could split on.
ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                     r"[A-Za-z]{2,63}$")
SEARCH_KEYS = ("q", "type", "from", "to")


class SignUpRefused(ValueError):
    """A sign-up that cannot be taken; the message (in French) says why, never whether the address
    is already subscribed."""


@dataclass(frozen=True)
class Subscription:
    id: int
    token: str
    email: str
    search: dict[str, Any]
    confirmed_at: str | None
    sent_until: str | None


def now() -> str:
    """The instant, as `documents.ingested_at` writes it (UTC, to the second)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _before(instant: str, delta: timedelta) -> str:
    return (datetime.fromisoformat(instant) - delta).isoformat(timespec="seconds")


def address(raw: str) -> str:
    """The address as stored (its domain in lower case), or SignUpRefused."""
    value = raw.strip()
    if len(value) > MAX_ADDRESS or not ADDRESS.match(value):
        raise SignUpRefused("adresse de courriel invalide (attendu : nom@domaine.fr)")
    local, _, domain = value.rpartition("@")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise SignUpRefused("adresse de courriel invalide (attendu : nom@domaine.fr)")
    return f"{local}@{domain.lower()}"


def saved_search(params: dict[str, str]) -> dict[str, Any]:
    """The search to save, from the search page's parameters: query, type, dates and filters."""
    found: dict[str, Any] = {key: params[key].strip() for key in SEARCH_KEYS if (params.get(key) or "").strip()}
    filters = {key: params[key].strip() for key in FILTERS if (params.get(key) or "").strip()}
    if filters:
        found["filters"] = filters
    if not found.get("q") and not found.get("type") and not filters:
        raise SignUpRefused("recherche vide : une alerte suit une recherche (des mots, un type ou un filtre)")
    return found


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value.lower()}".encode()).hexdigest()


def _row(row: Any) -> Subscription:
    return Subscription(row.id, row.token, row.email, row.search, row.confirmed_at, row.sent_until)


def _purge(conn: Connection, instant: str) -> None:
    """Forget the attempts of more than a day ago and the sign-ups left unconfirmed too long."""
    a, s = schema.alert_attempts, schema.alert_subscriptions
    conn.execute(delete(a).where(a.c.at < _before(instant, timedelta(days=1))))
    conn.execute(delete(s).where(s.c.confirmed_at.is_(None), s.c.created_at < _before(instant, timedelta(days=CONFIRM_DAYS))))


def _attempts(conn: Connection, digest: str, since: str) -> int:
    a = schema.alert_attempts
    return int(conn.execute(select(func.count()).where(a.c.digest == digest, a.c.at >= since)).scalar_one())


def subscribe(store: Store, email: str, search: dict[str, Any], client: str) -> str | None:
    """A pending subscription of `email` (checked by `address`) to `search` (by `saved_search`):
    its token, to be sent to that address only; None when the address has had its share of
    confirmation mails today (the caller answers the same either way). SignUpRefused when the
    client has signed up too often this hour."""
    instant = now()
    with store.writing() as conn:
        _purge(conn, instant)
        by_client, by_address = _digest("client", client), _digest("adresse", email)
        if _attempts(conn, by_client, _before(instant, timedelta(hours=1))) >= MAX_PER_CLIENT:
            raise SignUpRefused("trop d'inscriptions depuis votre connexion : réessayez dans une heure")
        conn.execute(schema.alert_attempts.insert(), [{"digest": by_client, "at": instant}])
        if _attempts(conn, by_address, _before(instant, timedelta(days=1))) >= MAX_PER_ADDRESS:
            return None
        conn.execute(schema.alert_attempts.insert(), [{"digest": by_address, "at": instant}])
        token = secrets.token_urlsafe(32)
        conn.execute(schema.alert_subscriptions.insert().values(token=token, email=email, search=search,
                                                                created_at=instant))
    return token


def _token_ok(token: str) -> bool:
    return 20 <= len(token) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", token) is not None


def find(store: Store, token: str) -> Subscription | None:
    """The subscription of a link's token (None: unknown, expired or unsubscribed)."""
    if not _token_ok(token):
        return None
    s = schema.alert_subscriptions
    with store.engine.connect() as conn:
        row = conn.execute(select(s).where(s.c.token == token)).first()
    if row is None or (row.confirmed_at is None and row.created_at < _before(now(), timedelta(days=CONFIRM_DAYS))):
        return None
    return _row(row)


def confirm(store: Store, token: str) -> Subscription | None:
    """Confirms the subscription of `token` (once: confirming again changes nothing); from now on,
    the documents stored are looked through for it. It replaces an earlier one of the same address
    to the same search: the form sent twice sends each act once."""
    found = find(store, token)
    if found is None or found.confirmed_at:
        return found
    instant = now()
    s = schema.alert_subscriptions
    with store.writing() as conn:
        conn.execute(update(s).where(s.c.id == found.id, s.c.confirmed_at.is_(None))
                     .values(confirmed_at=instant, sent_until=instant))
        same = [r.id for r in conn.execute(select(s.c.id, s.c.search).where(
            s.c.email == found.email, s.c.id != found.id, s.c.confirmed_at.is_not(None))) if r.search == found.search]
        if same:
            conn.execute(delete(schema.alert_sent).where(schema.alert_sent.c.subscription_id.in_(same)))
            conn.execute(delete(s).where(s.c.id.in_(same)))
    return find(store, token)


def unsubscribe(store: Store, token: str) -> bool:
    """Deletes the subscription of `token` and what it was sent; False when there was none."""
    if not _token_ok(token):
        return False
    s = schema.alert_subscriptions
    with store.writing() as conn:
        id = conn.execute(select(s.c.id).where(s.c.token == token)).scalar()
        if id is None:
            return False
        conn.execute(delete(schema.alert_sent).where(schema.alert_sent.c.subscription_id == id))
        conn.execute(delete(s).where(s.c.id == id))
    return True


def confirmed(store: Store) -> list[Subscription]:
    """Every confirmed subscription, oldest first (and the unconfirmed expired ones forgotten)."""
    s = schema.alert_subscriptions
    with store.writing() as conn:
        _purge(conn, now())
    with store.engine.connect() as conn:
        return [_row(r) for r in conn.execute(select(s).where(s.c.confirmed_at.is_not(None)).order_by(s.c.id))]


def unsent(store: Store, subscription: Subscription, until: str) -> list[Hit]:
    """The hits of the subscription's search among the entries of the documents stored from its
    `sent_until` to `until`, less what it was already sent; newest first, one hit per record
    (QueryError when its search no longer runs, e.g. a filter value the store forgot)."""
    e, d, sent = schema.search_entries, schema.documents, schema.alert_sent
    if subscription.sent_until is None or store.search is None:
        return []
    with store.engine.connect() as conn:
        new = conn.execute(select(e.c.id, e.c.type, e.c.key).join(d, d.c.id == e.c.document_id)
                           .where(d.c.ingested_at >= subscription.sent_until, d.c.ingested_at <= until)).all()
        done = {(r.type, r.key) for r in conn.execute(select(sent.c.type, sent.c.key)
                                                      .where(sent.c.subscription_id == subscription.id))}
    ids = [r.id for r in new if (r.type, r.key) not in done]
    if not ids:
        return []
    search = subscription.search
    hits = store.search.among(ids, search.get("q", ""), search.get("type") or None, search.get("from") or None,
                              search.get("to") or None, search.get("filters") or None)
    once: dict[tuple[str, str], Hit] = {}
    for hit in hits:  # an act stored from two documents (a recueil and its corrected copy)
        once.setdefault((hit.type, hit.id), hit)
    return list(once.values())


def mark_sent(store: Store, subscription: Subscription, hits: list[Hit], until: str) -> None:
    """Records that `hits` were sent and that the documents stored up to `until` were looked through."""
    s, sent = schema.alert_subscriptions, schema.alert_sent
    with store.writing() as conn:
        if conn.execute(select(s.c.id).where(s.c.id == subscription.id)).first() is None:
            return  # unsubscribed meanwhile: nothing of it is kept
        keys = [(h.type, h.id) for h in hits]
        known = set() if not keys else {tuple(r) for r in conn.execute(
            select(sent.c.type, sent.c.key).where(sent.c.subscription_id == subscription.id,
                                                  tuple_(sent.c.type, sent.c.key).in_(keys)))}
        rows = [{"subscription_id": subscription.id, "type": t, "key": k, "sent_at": until}
                for t, k in dict.fromkeys(keys) if (t, k) not in known]
        if rows:
            conn.execute(sent.insert(), rows)
        conn.execute(update(s).where(s.c.id == subscription.id).values(sent_until=until))

