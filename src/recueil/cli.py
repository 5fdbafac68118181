"""The `recueil` command: parses arguments, calls `recueil.jobs`, prints (in French)."""

from __future__ import annotations

import atexit
import gc
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.exceptions import Exit

from recueil import cli_common, config, jobs
from recueil.cli_common import config_option, db_option, dir_option
from recueil.seance import cli as seance_cli
from recueil.vocabulary import ASSEMBLIES, COUNTED_TYPES, SEARCH_TYPES, plural, singular

if TYPE_CHECKING:
    from rich.console import Console

    from recueil.store.database import Store

# Each command imports what it uses (rich, the store, SQLAlchemy, the ingest workers) in its body:
# `recueil --help` then starts as fast as click alone, and `recueil search` loads no PDF stack.
# Exit codes: 0 done; 1 the command ran and found a problem (verify, a mail server down); 2 the
# input is refused (a bad option or value, a missing file or store, a rule of the domain).
cli_common.install()


@click.group(name="recueil", epilog="Codes de sortie : 0 fait ; 1 problème constaté (verify, envoi) ; 2 entrée refusée.")
def app() -> None:
    """recueil : les actes d'un Département, des publications aux données."""


class _Output:
    """A rich console made on its first print, so that importing the command line loads no rich."""

    def __init__(self, stderr: bool = False) -> None:
        self.stderr = stderr

    @cached_property
    def console(self) -> Console:
        from rich.console import Console

        return Console(stderr=self.stderr, soft_wrap=True)

    def print(self, *objects: Any, **options: Any) -> None:
        self.console.print(*objects, **options)


out = _Output()
err = _Output(stderr=True)


def escape(text: str) -> str:
    """rich's escape of markup, loaded with the first message rather than with the command line."""
    from rich.markup import escape as escape_markup

    return escape_markup(text)

out_option = click.option("--out", "out_file", type=click.Path(path_type=Path), metavar="FICHIER",
                          help="Fichier de sortie (défaut : sortie standard).")

TYPE_LABELS = {key: plural(key) for key in COUNTED_TYPES}  # what the ingest summary counts
HIT_LABELS = {key: singular(key) for key in SEARCH_TYPES}


def _open(db: str | None, create: bool = False) -> Store:
    """The store; a command that only reads it refuses one that does not exist."""
    from recueil.store.database import Store, StoreError

    try:
        return Store(db, create=create)
    except StoreError as error:
        err.print(f"[red]Erreur :[/red] {error}")
        raise Exit(2) from error


@app.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="CHEMIN...")
@db_option
def ingest(paths: tuple[Path, ...], db: str | None) -> None:
    """Lire des publications et enregistrer leurs actes (une transaction par document).

    CHEMIN : fichiers ou dossiers (.pdf, .txt, .md)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    store = _open(db, create=True)
    files, _ = jobs.collect_inputs(list(paths))
    total = sum(p.stat().st_size for p in files)
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=err.console, transient=True, disable=total < 1_000_000) as progress:
        task = progress.add_task("Lecture", total=total)
        outcomes = jobs.ingest(store, list(paths), lambda path, size: progress.update(
            task, advance=size, description=f"Lecture de {path.name}"))
    store.close()
    # Nothing left to finalize: the collections at exit, over all that SQLAlchemy and the parsers
    # loaded, would add 70-100 ms to the command (a tenth of it on the corpus) for no memory freed.
    atexit.register(gc.freeze)

    documents = Table(title="Documents")
    for column in ("document", "état", "avertissements"):
        documents.add_column(column)
    for o in outcomes:
        documents.add_row(o.name, o.status, str(len(o.warnings)))
    out.print(documents)
    records = Table(title="Enregistrements lus")
    records.add_column("type")
    records.add_column("nombre", justify="right")
    for key, label in TYPE_LABELS.items():
        records.add_row(label, str(sum(o.counts.get(key, 0) for o in outcomes)))
    out.print(records)
    for o in outcomes:
        for w in o.warnings:
            where = f":{w.line}" if w.line else ""
            out.print(f"[yellow]avertissement[/yellow] {o.name}{where} — {w.message}", highlight=False)
    refused = [o for o in outcomes if o.status == "refusé"]
    for o in refused:
        err.print(f"[red]refusé[/red] {o.reason}", highlight=False)
    if refused:
        raise Exit(2)


@app.command()
@click.option("--format", default="jsonl", metavar="FORMAT",
              help="jsonl (tous les enregistrements) ou scdl (délibérations, CSV SCDL).")
@out_option
@config_option
@db_option
def export(format: str, out_file: Path | None, config_file: Path | None, db: str | None) -> None:
    """Exporter en JSONL (un objet JSON par ligne) ou en SCDL « Délibérations » (CSV des données ouvertes)."""
    store = _open(db)
    try:
        settings = config.load(config_file)
        if out_file:
            with out_file.open("w", encoding="utf-8") as handle:
                count = jobs.export(store, format, handle, settings)
            err.print(f"{count} enregistrements écrits dans {out_file}")
        else:
            jobs.export(store, format, sys.stdout, settings)
    except ValueError as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}")
        raise Exit(2) from error
    except OSError as error:
        err.print(f"[red]Erreur :[/red] écriture impossible : {error.strerror}")
        raise Exit(2) from error


@app.command()
@click.argument("query", default="", metavar="[RECHERCHE]")
@click.option("--type", metavar="TYPE", help=f"Type d'enregistrement : {', '.join(HIT_LABELS)}.")
@click.option("--from", "date_from", metavar="AAAA-MM-JJ", help="Date de début.")
@click.option("--to", "date_to", metavar="AAAA-MM-JJ", help="Date de fin.")
@click.option("--organe", "body", metavar="ORGANE",
              help=" ou ".join(f"{a.short} ({a.name})" for a in ASSEMBLIES.values()) + ".")
@click.option("--seance", "sitting", metavar="SÉANCE", help="Séance, par exemple cd-2025-09-22.")
@click.option("--vote", metavar="VOTE", help="unanimous (unanimité), abstentions, against (votes contre).")
@click.option("--groupe", "group", metavar="GROUPE",
              help="Groupe politique qui a voté contre ou s'est abstenu, ou qui a déposé le vœu.")
@click.option("--territoire", "territory", help="Territoire nommé par le rapport.")
@click.option("--canton", help="Canton nommé par le rapport.")
@click.option("--epci", help="EPCI nommé par le rapport.")
@click.option("--commune", help="Commune d'un arrêté de voirie.")
@click.option("--route", "road", metavar="ROUTE", help="Route d'un arrêté de voirie (D939, RD 939).")
@click.option("--facettes", "facets", is_flag=True, help="Afficher aussi les facettes (nombre de résultats par valeur).")
@click.option("--limit", default=20, show_default=True, help="Nombre maximal de résultats.")
@db_option
def search(query: str, type: str | None, date_from: str | None, date_to: str | None, body: str | None,
           sitting: str | None, vote: str | None, group: str | None, territory: str | None, canton: str | None,
           epci: str | None, commune: str | None, road: str | None, facets: bool, limit: int,
           db: str | None) -> None:
    """Chercher en français dans les actes, rapports, sommaires, débats et vœux (les meilleurs d'abord).

    RECHERCHE : mots, "expression exacte", AND/OR/NOT, préfixe*, ou numéro d'acte (2021-232) ; vide
    avec un filtre : les plus récents."""
    from recueil.store.query import QueryError

    store = _open(db)
    filters = {"body": body, "sitting": sitting, "vote": vote, "group": group, "territory": territory,
               "canton": canton, "epci": epci, "commune": commune, "road": road}
    try:
        found = jobs.search(store, query, type, date_from, date_to, limit,
                            filters={key: value for key, value in filters.items() if value})
    except QueryError as error:
        err.print(f"[red]Requête invalide :[/red] {escape(str(error))}", highlight=False)
        raise Exit(2) from error
    asked = f"« {escape(query)} »" if query.strip() else "ces filtres"
    if found.notice:  # an inverted period, a query of stop words: said, and nothing found
        err.print(f"[yellow]avertissement[/yellow] {escape(found.notice)}", highlight=False)
    if not found.total:
        out.print(f"Aucun résultat pour {asked}.", highlight=False)
        return
    total = f"{found.total}" if found.total_exact else f"plus de {found.total - 1:,}".replace(",", "\u202f")
    out.print(f"{total} résultat{'s' if found.total > 1 else ''} pour {asked}", highlight=False)
    for hit in found.results:
        label = " ".join(x for x in (HIT_LABELS[hit.type], hit.number, hit.date) if x)
        out.print(f"\n[bold]{escape(label)}[/bold] — {escape(hit.title)}", highlight=False)
        out.print("    " + "".join(f"[bold yellow]{escape(f.text)}[/bold yellow]" if f.match else escape(f.text)
                                   for f in hit.snippet), highlight=False)
    if facets:
        _print_facets(found.facets, found.facet_hits, found.total)


FACET_LABELS = {"type": "type", "body": "organe (--organe)", "sitting": "séance (--seance)", "vote": "vote (--vote)",
                "group": "groupe (--groupe)", "territory": "territoire (--territoire)", "canton": "canton (--canton)",
                "epci": "EPCI (--epci)", "commune": "commune (--commune)", "road": "route (--route)"}
VALUE_LABELS = {**{a.short: f"{a.short} ({a.name})" for a in ASSEMBLIES.values()},
                "unanimous": "unanimous (unanimité)", "abstentions": "abstentions (avec abstentions)",
                "against": "against (avec votes contre)", **HIT_LABELS}
FACETS_SHOWN = 12  # values per facet


def _print_facets(facets: dict[str, list[tuple[str, int]]], counted: int, total: int) -> None:
    over = "tous les résultats" if counted == total else f"les {counted} résultats les plus récents"
    out.print(f"\n[bold]Facettes[/bold] (sur {over})", highlight=False)
    for key, values in facets.items():
        shown = ", ".join(f"{VALUE_LABELS.get(value, value) if key in ('type', 'body', 'vote') else value} ({count})"
                          for value, count in values[:FACETS_SHOWN])
        more = f", … ({len(values) - FACETS_SHOWN} autres)" if len(values) > FACETS_SHOWN else ""
        out.print(f"  {escape(FACET_LABELS[key])} : {escape(shown + more)}", highlight=False)


@app.command()
@db_option
def check(db: str | None) -> None:
    """Rapport des contrôles croisés (votes, présences, sommaire, annexes), avec les lignes."""
    from rich.table import Table

    store = _open(db)
    rows = jobs.check(store)
    if not store.counts()["documents"]:
        out.print("Aucun document dans la base : rien à contrôler.")
        return
    if not rows:
        found = jobs.checkable(store)
        if not found["votes"] and not found["appels"]:
            out.print(f"Rien à contrôler : {found['actes']} actes, mais aucun vote chiffré ni liste de présence.")
            return
        votes = f"{found['votes']} vote chiffré" if found["votes"] == 1 else f"{found['votes']} votes chiffrés"
        calls = f"{found['appels']} appel" if found["appels"] == 1 else f"{found['appels']} appels"
        out.print(f"Aucun écart : tous les contrôles sont satisfaits ({votes}, {calls}).")
        return
    table = Table(title=f"{len(rows)} écart relevé" if len(rows) == 1 else f"{len(rows)} écarts relevés")
    for column in ("document", "ligne", "contrôle", "acte", "message"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["source"], str(row["line"] or ""), row["code"], row["record"] or "", row["message"])
    out.print(table)


@app.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADRESSE",
              help="Adresse d'écoute (0.0.0.0 : toutes les interfaces).")
@click.option("--port", default=8000, show_default=True, help="Port (0 : un port libre, que l'adresse affichée donne).")
@click.option("--workers", type=int, help="Nombre de processus (défaut : un par cœur).")
@db_option
def serve(host: str, port: int, workers: int | None, db: str | None) -> None:
    """Servir le site et l'API (lecture seule) ; Ctrl-C pour arrêter."""
    from recueil.serve import ServeError
    from recueil.store.database import StoreError

    def ready(url: str) -> None:
        out.print(f"Site servi sur {url} — Ctrl-C pour arrêter", highlight=False)
        out.console.file.flush()

    try:
        jobs.serve(db, host, port, workers, ready)
    except (ServeError, StoreError, config.ConfigError) as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}", highlight=False)
        raise Exit(2) from error
    out.print("Serveur arrêté.")


@app.command()
@dir_option
@click.option("--date", metavar="AAAA-MM-JJ", help="Date de publication (défaut : aujourd'hui).")
@click.option("--corrige", metavar="ACTE", help="Publier une version rectifiée de cet acte (ex. 2021-232, cd-2025-09-22/liste).")
@config_option
@db_option
def publish(folder: Path, date: str | None, corrige: str | None, config_file: Path | None, db: str | None) -> None:
    """Publier en PDF les actes pas encore publiés, la liste des délibérations et le procès-verbal de chaque séance, au registre."""
    from rich.table import Table

    from recueil.publish.publisher import PublishError
    from recueil.publish.register import RegisterError

    store = _open(db)
    try:
        entries = jobs.publish(store, folder, config.load(config_file), date, corrige,
                               notify=lambda line: err.print(escape(line), highlight=False))
    except (PublishError, RegisterError, config.ConfigError) as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}", highlight=False)
        raise Exit(2) from error
    finally:
        store.close()
    if not entries:
        out.print(f"Rien de nouveau à publier : tout est déjà au registre de {folder}.", highlight=False)
        return
    table = Table(title=f"{len(entries)} publication{'s' if len(entries) > 1 else ''} au registre {folder / 'registre.jsonl'}")
    for column in ("n°", "acte", "fichier", "SHA-256", "corrige"):
        table.add_column(column)
    for entry in entries:
        table.add_row(str(entry.seq), entry.act, entry.file, entry.sha256[:16] + "…",
                      f"n° {entry.corrects}" if entry.corrects else "")
    out.print(table)
    out.print(f"Dernière empreinte du registre (à noter ailleurs) : {entries[-1].hash}", highlight=False)


@app.command()
@dir_option
def verify(folder: Path) -> None:
    """Vérifier chaque fichier publié et toute la chaîne du registre ; code 1 et une ligne par problème sinon."""
    checked = jobs.verify(folder)
    for problem in checked.problems:
        out.print(escape(problem.message), highlight=False)
    if checked.problems:
        raise Exit(1)
    out.print(f"Registre intact : {checked.entries} entrées, fichiers et chaîne vérifiés (dernière empreinte "
              f"{checked.head}).", highlight=False)


@app.command()
@click.option("--from", "date_from", required=True, metavar="AAAA-MM-JJ", help="Premier jour de la période.")
@click.option("--to", "date_to", required=True, metavar="AAAA-MM-JJ", help="Dernier jour de la période.")
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path), metavar="FICHIER",
              help="Fichier PDF à écrire.")
@click.option("--date", metavar="AAAA-MM-JJ", help="Date de mise à disposition imprimée (défaut : aujourd'hui).")
@config_option
@db_option
def recueil(date_from: str, date_to: str, out_file: Path, date: str | None, config_file: Path | None,
            db: str | None) -> None:
    """Compiler le recueil des actes d'une période en PDF : couverture, sommaire paginé, délibérations, actes du Président."""
    from recueil.publish.compile import RecueilError

    store = _open(db)
    try:
        made = jobs.recueil(store, date_from, date_to, out_file, config.load(config_file), date)
    except (RecueilError, config.ConfigError) as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}", highlight=False)
        raise Exit(2) from error
    except OSError as error:
        err.print(f"[red]Erreur :[/red] écriture impossible de {out_file} : {error.strerror}", highlight=False)
        raise Exit(2) from error
    finally:
        store.close()
    out.print(f"{out_file} : {made.pages} pages, {made.deliberations} délibérations, "
              f"{made.president_acts} actes du Président, {len(made.sommaire)} entrées au sommaire.", highlight=False)


@app.command()
@click.option("--format", default="ics", metavar="FORMAT", help="ics (calendrier iCalendar, un événement par arrêté) ou csv.")
@click.option("--commune", help="Seulement les arrêtés de cette commune (majuscules, accents et tirets indifférents).")
@click.option("--route", "road", metavar="ROUTE", help="Seulement cette route départementale (D939, RD 939 ou 939).")
@click.option("--date", "on", metavar="AAAA-MM-JJ", help="Seulement les arrêtés en vigueur ce jour.")
@out_option
@config_option
@db_option
def agenda(format: str, commune: str | None, road: str | None, on: str | None, out_file: Path | None,
           config_file: Path | None, db: str | None) -> None:
    """Les arrêtés de voirie en calendrier (iCalendar) ou en CSV, par commune, par route ou par jour."""
    store = _open(db)
    try:
        settings = config.load(config_file)
        if out_file:
            with out_file.open("w", encoding="utf-8", newline="") as handle:
                count = jobs.agenda(store, format, handle, commune, road, on, settings)
            err.print(f"{count} arrêtés écrits dans {out_file}", highlight=False)
        else:
            jobs.agenda(store, format, sys.stdout, commune, road, on, settings)
    except ValueError as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}", highlight=False)
        raise Exit(2) from error
    except OSError as error:
        err.print(f"[red]Erreur :[/red] écriture impossible : {error.strerror}", highlight=False)
        raise Exit(2) from error
    finally:
        store.close()


for _group in seance_cli.GROUPS:  # recueil membres, recueil seance, recueil acte
    app.add_command(_group)


@app.group()
def alertes() -> None:
    """Les alertes par courriel sur une recherche enregistrée."""


@alertes.command("envoyer")
@config_option
@db_option
def send_alerts(config_file: Path | None, db: str | None) -> None:
    """Envoyer à chaque abonné confirmé les actes enregistrés depuis le dernier envoi qui répondent à sa
    recherche (à lancer après ingest ou publish, par cron) ; rien n'est envoyé deux fois."""
    from recueil.alerts import MailError, send_alerts

    store = _open(db)
    try:
        done = send_alerts(store, config.load(config_file))
    except config.ConfigError as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}", highlight=False)
        raise Exit(2) from error
    except MailError as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}", highlight=False)
        raise Exit(1) from error
    finally:
        store.close()
    for problem in done.problems:
        err.print(f"[red]Erreur :[/red] {escape(problem)}", highlight=False)
    mails = f"{done.mails} courriel{'s' if done.mails > 1 else ''} envoyé{'s' if done.mails > 1 else ''}"
    acts = f" ({done.acts} résultat{'s' if done.acts > 1 else ''})" if done.mails else ""
    out.print(f"{done.subscriptions} alerte{'s' if done.subscriptions > 1 else ''} confirmée"
              f"{'s' if done.subscriptions > 1 else ''} : {mails}{acts}.", highlight=False)
    if done.problems:
        raise Exit(1)


cli_common.prepare(app)
