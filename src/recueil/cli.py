"""The `recueil` command: parses arguments, calls `recueil.jobs`, prints (in French)."""

from __future__ import annotations

import atexit
import gc
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from recueil import config, jobs
from recueil.seance import cli as seance_cli
from recueil.vocabulary import ASSEMBLIES, COUNTED_TYPES, SEARCH_TYPES, plural, singular

if TYPE_CHECKING:
    from rich.console import Console

    from recueil.store.database import Store

# Each command imports what it uses (rich, the store, SQLAlchemy, the ingest workers) in its body,
# and the help is click's plain text (typer's rich help imports rich and markdown-it: 80 ms more):
# `recueil --help` then starts as fast as typer alone, and `recueil search` loads no PDF stack.

app = typer.Typer(
    help="recueil : les actes d'un Département, des publications aux données.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


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

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Base de données (URL SQLAlchemy ; défaut sqlite:///recueil.db, ou RECUEIL_DB)."),
]

TYPE_LABELS = {key: plural(key) for key in COUNTED_TYPES}  # what the ingest summary counts
HIT_LABELS = {key: singular(key) for key in SEARCH_TYPES}


def _open(db: str | None, create: bool = False) -> Store:
    """The store; a command that only reads it refuses one that does not exist."""
    from recueil.store.database import Store, StoreError

    try:
        return Store(db, create=create)
    except StoreError as error:
        err.print(f"[red]Erreur :[/red] {error}")
        raise typer.Exit(2) from error


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Fichiers ou dossiers (.pdf, .txt, .md).")],
    db: DbOption = None,
) -> None:
    """Lire des publications et enregistrer leurs actes (une transaction par document)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    store = _open(db, create=True)
    files, _ = jobs.collect_inputs(paths)
    total = sum(p.stat().st_size for p in files)
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=err.console, transient=True, disable=total < 1_000_000) as progress:
        task = progress.add_task("Lecture", total=total)
        outcomes = jobs.ingest(store, paths, lambda path, size: progress.update(
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
        raise typer.Exit(2)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", help="jsonl (tous les enregistrements) ou scdl (délibérations, CSV SCDL).")] = "jsonl",
    out_file: Annotated[Path | None, typer.Option("--out", help="Fichier de sortie (défaut : sortie standard).")] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="Configuration de la collectivité (défaut : RECUEIL_CONFIG ou ./recueil.toml).")] = None,
    db: DbOption = None,
) -> None:
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
        raise typer.Exit(2) from error
    except OSError as error:
        err.print(f"[red]Erreur :[/red] écriture impossible : {error.strerror}")
        raise typer.Exit(2) from error


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Mots, "expression exacte", AND/OR/NOT, préfixe*, ou numéro d\'acte (2021-232) ; vide avec un filtre : les plus récents.')] = "",
    type: Annotated[str | None, typer.Option("--type", help=f"Type d'enregistrement : {', '.join(HIT_LABELS)}.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Date de début (AAAA-MM-JJ).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Date de fin (AAAA-MM-JJ).")] = None,
    body: Annotated[str | None, typer.Option("--organe", help=" ou ".join(f"{a.short} ({a.name})" for a in ASSEMBLIES.values()) + ".")] = None,
    sitting: Annotated[str | None, typer.Option("--seance", help="Séance, par exemple cd-2025-09-22.")] = None,
    vote: Annotated[str | None, typer.Option("--vote", help="unanimous (unanimité), abstentions, against (votes contre).")] = None,
    group: Annotated[str | None, typer.Option("--groupe", help="Groupe politique qui a voté contre ou s'est abstenu, ou qui a déposé le vœu.")] = None,
    territory: Annotated[str | None, typer.Option("--territoire", help="Territoire nommé par le rapport.")] = None,
    canton: Annotated[str | None, typer.Option("--canton", help="Canton nommé par le rapport.")] = None,
    epci: Annotated[str | None, typer.Option("--epci", help="EPCI nommé par le rapport.")] = None,
    commune: Annotated[str | None, typer.Option("--commune", help="Commune d'un arrêté de voirie.")] = None,
    road: Annotated[str | None, typer.Option("--route", help="Route d'un arrêté de voirie (D939, RD 939).")] = None,
    facets: Annotated[bool, typer.Option("--facettes", help="Afficher aussi les facettes (nombre de résultats par valeur).")] = False,
    limit: Annotated[int, typer.Option(help="Nombre maximal de résultats.")] = 20,
    db: DbOption = None,
) -> None:
    """Chercher en français dans les actes, rapports, sommaires, débats et vœux (les meilleurs d'abord)."""
    from recueil.store.query import QueryError

    store = _open(db)
    filters = {"body": body, "sitting": sitting, "vote": vote, "group": group, "territory": territory,
               "canton": canton, "epci": epci, "commune": commune, "road": road}
    try:
        found = jobs.search(store, query, type, date_from, date_to, limit,
                            filters={key: value for key, value in filters.items() if value})
    except QueryError as error:
        err.print(f"[red]Requête invalide :[/red] {escape(str(error))}", highlight=False)
        raise typer.Exit(2) from error
    asked = f"« {escape(query)} »" if query.strip() else "ces filtres"
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
def check(db: DbOption = None) -> None:
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
def serve(
    host: Annotated[str, typer.Option(help="Adresse d'écoute (0.0.0.0 : toutes les interfaces).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 : un port libre, que l'adresse affichée donne).")] = 8000,
    workers: Annotated[int | None, typer.Option("--workers", help="Nombre de processus (défaut : un par cœur).")] = None,
    db: DbOption = None,
) -> None:
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
        raise typer.Exit(2) from error
    out.print("Serveur arrêté.")


DirOption = Annotated[Path, typer.Option("--dir", envvar="RECUEIL_PUBLICATIONS", show_envvar=False,
                                         help="Dossier des publications et de leur registre (registre.jsonl ; défaut : RECUEIL_PUBLICATIONS ou ./publications).")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="Configuration de la collectivité (défaut : RECUEIL_CONFIG ou ./recueil.toml).")]


@app.command()
def publish(
    folder: DirOption = jobs.PUBLICATIONS,
    date: Annotated[str | None, typer.Option("--date", help="Date de publication AAAA-MM-JJ (défaut : aujourd'hui).")] = None,
    corrige: Annotated[str | None, typer.Option("--corrige", help="Publier une version rectifiée de cet acte (ex. 2021-232, cd-2025-09-22/liste).")] = None,
    config_file: ConfigOption = None,
    db: DbOption = None,
) -> None:
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
        raise typer.Exit(2) from error
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
def verify(folder: DirOption = jobs.PUBLICATIONS) -> None:
    """Vérifier chaque fichier publié et toute la chaîne du registre ; code 1 et une ligne par problème sinon."""
    checked = jobs.verify(folder)
    for problem in checked.problems:
        out.print(escape(problem.message), highlight=False)
    if checked.problems:
        raise typer.Exit(1)
    out.print(f"Registre intact : {checked.entries} entrées, fichiers et chaîne vérifiés (dernière empreinte "
              f"{checked.head}).", highlight=False)


@app.command()
def recueil(
    date_from: Annotated[str, typer.Option("--from", help="Premier jour de la période (AAAA-MM-JJ).")],
    date_to: Annotated[str, typer.Option("--to", help="Dernier jour de la période (AAAA-MM-JJ).")],
    out_file: Annotated[Path, typer.Option("--out", help="Fichier PDF à écrire.")],
    date: Annotated[str | None, typer.Option("--date", help="Date de mise à disposition imprimée (défaut : aujourd'hui).")] = None,
    config_file: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Compiler le recueil des actes d'une période en PDF : couverture, sommaire paginé, délibérations, actes du Président."""
    from recueil.publish.compile import RecueilError

    store = _open(db)
    try:
        made = jobs.recueil(store, date_from, date_to, out_file, config.load(config_file), date)
    except (RecueilError, config.ConfigError) as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}", highlight=False)
        raise typer.Exit(1) from error
    except OSError as error:
        err.print(f"[red]Erreur :[/red] écriture impossible de {out_file} : {error.strerror}", highlight=False)
        raise typer.Exit(2) from error
    finally:
        store.close()
    out.print(f"{out_file} : {made.pages} pages, {made.deliberations} délibérations, "
              f"{made.president_acts} actes du Président, {len(made.sommaire)} entrées au sommaire.", highlight=False)


@app.command()
def agenda(
    format: Annotated[str, typer.Option("--format", help="ics (calendrier iCalendar, un événement par arrêté) ou csv.")] = "ics",
    commune: Annotated[str | None, typer.Option("--commune", help="Seulement les arrêtés de cette commune (majuscules, accents et tirets indifférents).")] = None,
    road: Annotated[str | None, typer.Option("--route", help="Seulement cette route départementale (D939, RD 939 ou 939).")] = None,
    on: Annotated[str | None, typer.Option("--date", help="Seulement les arrêtés en vigueur ce jour (AAAA-MM-JJ).")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Fichier de sortie (défaut : sortie standard).")] = None,
    config_file: ConfigOption = None,
    db: DbOption = None,
) -> None:
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
        raise typer.Exit(2) from error
    except OSError as error:
        err.print(f"[red]Erreur :[/red] écriture impossible : {error.strerror}", highlight=False)
        raise typer.Exit(2) from error
    finally:
        store.close()


app.add_typer(seance_cli.app)  # recueil membres, recueil seance
alertes = typer.Typer(help="Les alertes par courriel sur une recherche enregistrée.", no_args_is_help=True,
                      rich_markup_mode=None)
app.add_typer(alertes, name="alertes")


@alertes.command("envoyer")
def send_alerts(config_file: ConfigOption = None, db: DbOption = None) -> None:
    """Envoyer à chaque abonné confirmé les actes enregistrés depuis le dernier envoi qui répondent à sa
    recherche (à lancer après ingest ou publish, par cron) ; rien n'est envoyé deux fois."""
    from recueil.alerts import MailError, send_alerts

    store = _open(db)
    try:
        done = send_alerts(store, config.load(config_file))
    except config.ConfigError as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}", highlight=False)
        raise typer.Exit(2) from error
    except MailError as error:
        err.print(f"[red]Erreur :[/red] {escape(str(error))}", highlight=False)
        raise typer.Exit(1) from error
    finally:
        store.close()
    for problem in done.problems:
        err.print(f"[red]Erreur :[/red] {escape(problem)}", highlight=False)
    mails = f"{done.mails} courriel{'s' if done.mails > 1 else ''} envoyé{'s' if done.mails > 1 else ''}"
    acts = f" ({done.acts} résultat{'s' if done.acts > 1 else ''})" if done.mails else ""
    out.print(f"{done.subscriptions} alerte{'s' if done.subscriptions > 1 else ''} confirmée"
              f"{'s' if done.subscriptions > 1 else ''} : {mails}{acts}.", highlight=False)
    if done.problems:
        raise typer.Exit(1)

for _command in app.registered_commands:  # the list of `recueil --help` shows whole sentences, not click's cut
    _command.short_help = _command.callback.__doc__ if _command.callback else None
