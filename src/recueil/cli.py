"""The `recueil` command: parses arguments, calls `recueil.jobs`, prints (in French)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from recueil import jobs
from recueil.store.database import Store, StoreError

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


def _open(db: str | None) -> Store:
    try:
        return Store(db)
    except StoreError as error:
        err.print(f"[red]Erreur :[/red] {error}")
        raise typer.Exit(2) from error


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Fichiers ou dossiers (.txt, .md).")],
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
    format: Annotated[str, typer.Option("--format", help="jsonl")] = "jsonl",
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Fichier de sortie (défaut : sortie standard).")] = None,
    db: DbOption = None,
) -> None:
    """Exporter tous les enregistrements (JSONL : un objet JSON par ligne)."""
    store = _open(db)
    try:
        if out_file:
            with out_file.open("w", encoding="utf-8") as handle:
                count = jobs.export(store, format, handle)
            err.print(f"{count} enregistrements écrits dans {out_file}")
        else:
            jobs.export(store, format, sys.stdout)
    except ValueError as error:
        err.print(f"[red]Erreur :[/red] {error}")
        raise typer.Exit(2) from error
    except OSError as error:
        err.print(f"[red]Erreur :[/red] écriture impossible : {error.strerror}")
        raise typer.Exit(2) from error


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Mots cherchés.")],
    limit: Annotated[int, typer.Option(help="Nombre maximal de résultats.")] = 20,
    db: DbOption = None,
) -> None:
    """Chercher dans les actes, rapports, sommaires, débats et vœux."""
    store = _open(db)
    shown = 0
    for record in jobs.search(store, query, limit):
        label = record.get("number") or record.get("speaker") or record.get("page") or ""
        title = " ".join((record.get("title") or record.get("text") or "").split())
        title = title if len(title) <= 110 else title[:109] + "…"
        out.print(f"[bold]{TYPE_LABELS[record['type']]}[/bold] {label} — {title}", highlight=False)
        shown += 1
    if not shown:
        out.print(f"Aucun résultat pour « {query} ».")


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
