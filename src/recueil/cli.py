"""The `recueil` command: parses arguments, calls `recueil.jobs`, prints (in French)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from recueil import config, jobs
from recueil.store.database import Store, StoreError
from recueil.store.query import QueryError

app = typer.Typer(
    help="recueil : les actes d'un Département, des publications aux données.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="Base de données (URL SQLAlchemy ; défaut sqlite:///recueil.db, ou RECUEIL_DB)."),
]

TYPE_LABELS = {
    "sitting": "séances",
    "deliberation": "délibérations",
    "report": "rapports",
    "listed_act": "actes au sommaire",
    "intervention": "prises de parole",
    "motion": "vœux",
}

HIT_LABELS = {
    "deliberation": "délibération",
    "report": "rapport",
    "road_order": "arrêté de voirie",
    "decision": "décision",
    "order": "arrêté",
    "listed_act": "acte au sommaire",
    "intervention": "prise de parole",
    "motion": "vœu",
}


def _open(db: str | None) -> Store:
    try:
        return Store(db)
    except StoreError as error:
        err.print(f"[red]Erreur :[/red] {error}")
        raise typer.Exit(2) from error


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Fichiers ou dossiers (.pdf, .txt, .md).")],
    db: DbOption = None,
) -> None:
    """Lire des publications et enregistrer leurs actes (une transaction par document)."""
    store = _open(db)
    files, _ = jobs.collect_inputs(paths)
    total = sum(p.stat().st_size for p in files)
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=err, transient=True, disable=total < 1_000_000) as progress:
        task = progress.add_task("Lecture", total=total)
        outcomes = jobs.ingest(store, paths, lambda path, size: progress.update(
            task, advance=size, description=f"Lecture de {path.name}"))
    store.close()

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
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Fichier de sortie (défaut : sortie standard).")] = None,
    config_file: Annotated[Optional[Path], typer.Option("--config", help="Configuration de la collectivité (défaut : RECUEIL_CONFIG ou ./recueil.toml).")] = None,
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
    query: Annotated[str, typer.Argument(help='Mots, "expression exacte", AND/OR/NOT, préfixe*, ou numéro d\'acte (2021-232).')],
    type: Annotated[Optional[str], typer.Option("--type", help=f"Type d'enregistrement : {', '.join(HIT_LABELS)}.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Date de début (AAAA-MM-JJ).")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Date de fin (AAAA-MM-JJ).")] = None,
    limit: Annotated[int, typer.Option(help="Nombre maximal de résultats.")] = 20,
    db: DbOption = None,
) -> None:
    """Chercher en français dans les actes, rapports, sommaires, débats et vœux (les meilleurs d'abord)."""
    store = _open(db)
    try:
        found = jobs.search(store, query, type, date_from, date_to, limit)
    except QueryError as error:
        err.print(f"[red]Requête invalide :[/red] {escape(str(error))}", highlight=False)
        raise typer.Exit(2) from error
    if not found.total:
        out.print(f"Aucun résultat pour « {escape(query)} ».", highlight=False)
        return
    total = f"{found.total}" if found.total_exact else f"plus de {found.total - 1:,}".replace(",", "\u202f")
    out.print(f"{total} résultat{'s' if found.total > 1 else ''} pour « {escape(query)} »", highlight=False)
    for hit in found.results:
        label = " ".join(x for x in (HIT_LABELS[hit.type], hit.number, hit.date) if x)
        out.print(f"\n[bold]{escape(label)}[/bold] — {escape(hit.title)}", highlight=False)
        out.print("    " + "".join(f"[bold yellow]{escape(f.text)}[/bold yellow]" if f.match else escape(f.text)
                                   for f in hit.snippet), highlight=False)


@app.command()
def check(db: DbOption = None) -> None:
    """Rapport des contrôles croisés (votes, présences, sommaire, annexes), avec les lignes."""
    store = _open(db)
    rows = jobs.check(store)
    if not rows:
        out.print("Aucun écart : tous les contrôles sont satisfaits.")
        return
    table = Table(title=f"{len(rows)} écarts relevés")
    for column in ("document", "ligne", "contrôle", "acte", "message"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["source"], str(row["line"] or ""), row["code"], row["record"] or "", row["message"])
    out.print(table)
