"""E-mail alerts on a saved search: the mails (French, plain text with an HTML alternative) and
their sending through the SMTP server of `[alertes]` (config.py).

`send_alerts` is what `recueil alertes envoyer` runs, from cron after an ingest or a publication:
for each confirmed subscription, the acts its search finds among those stored since its last
sending (store/alerts.py says how nothing is sent twice), in one mail, only when there are some.
`confirmation` is the mail of a sign-up (web/alerts.py sends it). Every mail carries its
unsubscribe link, in its text and in the List-Unsubscribe headers of RFC 2369 and RFC 8058 (one
click from the mail reader). Document text in a mail is what the public site shows: the names of
private persons masked unless the configuration says otherwise; all of it escaped in the HTML.

Why here, beside export and publish: it reads the store and writes something out of it for the
public (a mail rather than a file); the web layer, above, sends the confirmation with it, and the
command line calls it. smtplib and the email package are loaded by the functions that use them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from recueil.config import AlertSettings, Config
from recueil.store import alerts as subscriptions
from recueil.store.database import Store
from recueil.store.facets import FILTERS, NAMES
from recueil.store.query import QueryError
from recueil.store.search import Hit
from recueil.text.dates import date_fr
from recueil.vocabulary import capitalised, plural, singular

if TYPE_CHECKING:
    from email.message import EmailMessage
    from smtplib import SMTP

MAX_LISTED = 50  # acts listed in one mail; beyond, the mail links to the search
SMTP_TIMEOUT = 30  # seconds


class MailError(Exception):
    """A mail could not be sent; the message (in French) says why."""


@dataclass
class Sending:
    """What a run of `send_alerts` did."""

    subscriptions: int = 0
    mails: int = 0
    acts: int = 0
    problems: list[str] = field(default_factory=list)


def _one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def search_path(search: dict[str, Any]) -> str:
    """The search page of a saved search."""
    params = {key: search[key] for key in subscriptions.SEARCH_KEYS if search.get(key)}
    return "/recherche?" + urlencode({**params, **search.get("filters", {})})


def describe(search: dict[str, Any]) -> str:
    """A saved search in words: « collège » · délibérations · du 1 juin 2021 · commune : samer."""
    parts = [f"« {_one_line(search['q'], 120)} »"] if search.get("q") else []
    if search.get("type"):
        parts.append(plural(search["type"]))
    if search.get("from"):
        parts.append(f"du {date_fr(search['from'])}")
    if search.get("to"):
        parts.append(f"jusqu'au {date_fr(search['to'])}")
    parts += [f"{NAMES[key]} : {_one_line(value, 80)}" for key, value in search.get("filters", {}).items()
              if key in FILTERS]
    return " · ".join(parts)


def _links(settings: AlertSettings, token: str) -> tuple[str, str]:
    """The confirmation and unsubscribe addresses of a subscription."""
    query = urlencode({"jeton": token})
    return settings.url(f"/alertes/confirmation?{query}"), settings.url(f"/alertes/desabonnement?{query}")


def _message(settings: AlertSettings, to: str, subject: str, text: str, body_html: str, unsubscribe: str) -> EmailMessage:
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid, parseaddr

    message = EmailMessage()
    message["From"] = settings.expediteur
    message["To"] = to
    message["Subject"] = _one_line(subject)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid("alerte", parseaddr(settings.expediteur)[1].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no automatic reply
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    page = (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{html.escape(_one_line(subject))}'
            f"</title></head><body>{body_html}</body></html>")
    message.add_alternative(page, subtype="html")
    return message


def _a(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def confirmation(settings: AlertSettings, email: str, token: str, search: dict[str, Any]) -> EmailMessage:
    """The mail that asks the owner of `email` to confirm an alert (nothing is sent otherwise)."""
    confirm, unsubscribe = _links(settings, token)
    what = describe(search)
    days = subscriptions.CONFIRM_DAYS
    text = (f"Bonjour,\n\nUne alerte par courriel a été demandée pour cette adresse sur {settings.site}, "
            f"pour la recherche :\n  {what}\n\nPour la confirmer, ouvrez ce lien et validez :\n{confirm}\n\n"
            f"Si vous n'avez rien demandé, ignorez ce message : sans confirmation, rien ne vous sera envoyé "
            f"et votre adresse sera effacée dans {days} jours. Pour l'effacer dès maintenant :\n{unsubscribe}\n")
    body = (f"<p>Bonjour,</p><p>Une alerte par courriel a été demandée pour cette adresse sur "
            f"{_a(settings.site, settings.site)}, pour la recherche :</p><p><strong>{html.escape(what)}</strong></p>"
            f"<p>{_a(confirm, 'Confirmer l’alerte')}</p>"
            f"<p>Si vous n'avez rien demandé, ignorez ce message : sans confirmation, rien ne vous sera envoyé et "
            f"votre adresse sera effacée dans {days} jours. {_a(unsubscribe, 'L’effacer dès maintenant')}.</p>")
    return _message(settings, email, f"Confirmez votre alerte : {what}", text, body, unsubscribe)


def _hit_label(hit: Hit) -> str:
    """"Délibération n° 2025-361 du 22 septembre 2025"."""
    label = capitalised(singular(hit.type))
    if hit.number:
        label += f" n° {hit.number}"
    return label + (f" du {date_fr(hit.date)}" if hit.date else "")


def alert(settings: AlertSettings, subscription: subscriptions.Subscription, hits: list[Hit],
          public: Callable[[str], str]) -> EmailMessage:
    """The mail of the new acts of a saved search (`public`: document text as the site shows it)."""
    _, unsubscribe = _links(settings, subscription.token)
    what = describe(subscription.search)
    found = settings.url(search_path(subscription.search))
    count = f"{len(hits)} nouveau{'x' if len(hits) > 1 else ''} résultat{'s' if len(hits) > 1 else ''}"
    listed = hits[:MAX_LISTED]
    more = len(hits) - len(listed)
    lines, items = [], []
    for hit in listed:
        title = _one_line(public(hit.title), 300)
        snippet = _one_line(public("".join(f.text for f in hit.snippet)), 300)
        url = settings.url(hit.url) if hit.url else None
        lines.append(f"- {_hit_label(hit)} : {title}" + (f"\n  {url}" if url else "") + (f"\n  « {snippet} »" if snippet else ""))
        heading = _a(url, f"{_hit_label(hit)} : {title}") if url else html.escape(f"{_hit_label(hit)} : {title}")
        items.append(f"<li><p>{heading}</p>" + (f"<p>« {html.escape(snippet)} »</p>" if snippet else "") + "</li>")
    rest = f"\nEt {more} autre{'s' if more > 1 else ''} : {found}\n" if more else ""
    text = (f"Bonjour,\n\n{capitalised(count)} pour votre recherche {what} :\n\n" + "\n\n".join(lines) + "\n" + rest
            + f"\nLa recherche sur le site : {found}\n\n"
              f"Vous recevez ce message parce que vous avez demandé et confirmé cette alerte. "
              f"Pour ne plus la recevoir (votre adresse sera effacée) :\n{unsubscribe}\n")
    body = (f"<p>Bonjour,</p><p>{html.escape(capitalised(count))} pour votre recherche "
            f"<strong>{html.escape(what)}</strong> :</p><ul>{''.join(items)}</ul>"
            + (f"<p>Et {more} autre{'s' if more > 1 else ''} : {_a(found, 'voir la recherche')}.</p>" if more else "")
            + f"<p>{_a(found, 'La recherche sur le site')}</p>"
              f"<p>Vous recevez ce message parce que vous avez demandé et confirmé cette alerte. "
              f"{_a(unsubscribe, 'Ne plus la recevoir')} (votre adresse sera effacée).</p>")
    return _message(settings, subscription.email, f"{capitalised(count)} : {what}", text, body, unsubscribe)


@contextmanager
def connected(settings: AlertSettings) -> Iterator[SMTP]:
    """A session with the SMTP server of `[alertes]`, identified when a user is given (MailError
    in French when it cannot be opened)."""
    import smtplib
    import ssl

    where = f"{settings.serveur}:{settings.port}"
    try:
        if settings.chiffrement == "ssl":
            server: SMTP = smtplib.SMTP_SSL(settings.serveur, settings.port, timeout=SMTP_TIMEOUT,
                                            context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(settings.serveur, settings.port, timeout=SMTP_TIMEOUT)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"serveur SMTP injoignable : {where} ({_reason(error)})") from error
    try:
        if settings.chiffrement == "starttls":
            server.starttls(context=ssl.create_default_context())
        if settings.utilisateur:
            server.login(settings.utilisateur, settings.mot_de_passe or "")
    except smtplib.SMTPAuthenticationError as error:
        server.close()
        raise MailError(f"identification refusée par le serveur SMTP {where} (utilisateur, mot_de_passe)") from error
    except smtplib.SMTPNotSupportedError as error:
        server.close()
        raise MailError(f"le serveur SMTP {where} ne propose pas STARTTLS (chiffrement = \"ssl\" ou \"aucun\" ?)") \
            from error
    except (OSError, smtplib.SMTPException) as error:
        server.close()
        raise MailError(f"échange impossible avec le serveur SMTP {where} ({_reason(error)})") from error
    try:
        yield server
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()


def _reason(error: BaseException) -> str:
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return re.sub(r"\s+", " ", str(reason)).strip()


def deliver(server: SMTP, message: EmailMessage) -> None:
    """Sends one mail on an open session (MailError when the server refuses it)."""
    import smtplib

    try:
        server.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        raise MailError(f"adresse refusée par le serveur SMTP : {message['To']}") from error
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"envoi refusé par le serveur SMTP ({_reason(error)})") from error


def send(settings: AlertSettings, message: EmailMessage) -> None:
    """Sends one mail in a session of its own."""
    with connected(settings) as server:
        deliver(server, message)


def _public_text(store: Store, config: Config) -> Callable[[str], str]:
    if not config.publication.masquer_personnes:
        return lambda text: text
    from recueil.publish.masking import Masker, public_names

    masker = Masker(public_names(store))
    return lambda text: masker(text).text


def send_alerts(store: Store, config: Config) -> Sending:
    """Sends each confirmed subscription the acts its search finds among those stored since its
    last sending (one mail, none when there is nothing new), and records what was sent. A
    subscription whose mail fails is left as it was, to be sent at the next run; a server that
    cannot be reached stops the run (MailError); ConfigError without `[alertes]`."""
    settings = config.alert_settings()
    done = Sending()
    until = subscriptions.now()
    public: Callable[[str], str] | None = None
    with ExitStack() as stack:
        server: SMTP | None = None
        for subscription in subscriptions.confirmed(store):
            done.subscriptions += 1
            try:
                hits = subscriptions.unsent(store, subscription, until)
            except QueryError as error:
                done.problems.append(f"alerte n° {subscription.id} : sa recherche ne s'exécute plus ({error})")
                continue
            if hits:
                public = public or _public_text(store, config)
                server = server or stack.enter_context(connected(settings))  # opened for the first mail
                try:
                    deliver(server, alert(settings, subscription, hits, public))
                except MailError as error:
                    done.problems.append(f"alerte n° {subscription.id} : {error}")
                    continue
                done.mails += 1
                done.acts += len(hits)
            subscriptions.mark_sent(store, subscription, hits, until)
    return done

