"""`recueil membres …` and `recueil seance …`: the commands of the write side, registered by
`recueil.cli` as one Typer app. Each parses its arguments, calls the library and prints in French;
what it uses is imported in its body, so that `recueil --help` loads no store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Base de données (URL SQLAlchemy ; défaut sqlite:///recueil.db, ou RECUEIL_DB)."),
]

app = typer.Typer(add_completion=False, rich_markup_mode=None)
membres = typer.Typer(help="Les membres des assemblées et leurs groupes, période par période.",
                      no_args_is_help=True, rich_markup_mode=None)
seance = typer.Typer(help="Les séances, rejouées sous les règles du CGCT.",
                     no_args_is_help=True, rich_markup_mode=None)
app.add_typer(membres, name="membres")
app.add_typer(seance, name="seance")


def _refuse(lines: list[str]) -> NoReturn:
    """One French line per problem on stderr, and exit code 2."""
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(2)


@membres.command("import")
def import_members(
    file: Annotated[Path, typer.Argument(help="Fichier CSV : nom, civilite, organe, groupe, canton, votant, du, au.")],
    db: DbOption = None,
) -> None:
    """Importer la liste des membres (une ligne par période dans un groupe) : elle remplace celle des
    assemblées qu'elle nomme ; une seule erreur et rien n'est enregistré."""
    from recueil.seance.members import import_csv
    from recueil.seance.rules import Refused
    from recueil.store.database import Store, StoreError
    from recueil.vocabulary import assembly_name

    try:
        with Store(db) as store, store.writing() as conn:
            counts = import_csv(conn, file)
    except StoreError as error:
        _refuse([f"Erreur : {error}"])
    except Refused as refused:
        _refuse(refused.reasons)
    for body, count in counts.items():
        typer.echo(f"{assembly_name(body)} : {count} membre{'s' if count > 1 else ''}")


@membres.command("depuis-documents")
def members_from_documents(db: DbOption = None) -> None:
    """Tirer membres et groupes des documents lus (appels, procurations, votes, vœux) et dire ce qui
    reste inconnu ; les membres déjà enregistrés dans une assemblée sont gardés tels quels."""
    from recueil.seance.members import NON_INSCRITS
    from recueil.seance.seeding import seed
    from recueil.store.database import Store, StoreError
    from recueil.vocabulary import assembly_name

    try:
        with Store(db) as store, store.writing() as conn:
            found = seed(conn)
    except StoreError as error:
        _refuse([f"Erreur : {error}"])
    if not found.members:
        typer.echo("Aucun membre dans les documents lus (recueil ingest d'abord).")
        return
    bodies = " ; ".join(f"{assembly_name(body)} : {count}" for body, count in found.by_body.items())
    typer.echo(f"{found.members} membres dans les documents ({bodies}) ; périodes ajoutées : {found.added}.")
    if found.kept:
        typer.echo(f"Déjà enregistrés dans leur assemblée, gardés tels quels : {found.kept}.")
    for body, names in found.without_group.items():
        typer.echo(f"Groupe inconnu, enregistré « {NON_INSCRITS} » ({assembly_name(body)}, {len(names)}) : "
                   f"{', '.join(names)}.")
    if found.without_civility:
        typer.echo(f"Civilité inconnue ({len(found.without_civility)}) : {', '.join(found.without_civility)}.")
    if found.without_canton:
        typer.echo(f"Canton inconnu pour {found.without_canton} membres : les documents ne l'impriment pas "
                   "(recueil membres import le donne).")
    for conflict in found.conflicts:
        typer.echo(f"Deux groupes pour un membre : {conflict} (le plus cité est gardé).")
    for a, b in found.close_names:
        typer.echo(f"Noms à une lettre près, peut-être une coquille : {a} / {b}.")


@seance.command("import")
def import_sitting(
    file: Annotated[Path, typer.Argument(help="Fichier JSON de la séance (DESIGN.md §4, seance.schema.json).")],
    first_number: Annotated[str | None, typer.Option(
        "--premier-numero", help="Premier numéro de délibération à donner, AAAA-NNN (défaut : le suivant de l'année).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Rejouer une séance décrite dans un fichier JSON à travers les règles du CGCT et l'enregistrer :
    code 0 et les numéros donnés, ou code 2, une ligne par règle enfreinte, et rien d'enregistré."""
    from recueil.seance.importer import import_sitting as replay_and_store
    from recueil.seance.importer import read_file
    from recueil.seance.rules import Refused
    from recueil.store.database import Store, StoreError
    from recueil.vocabulary import RESULTS

    try:
        data = read_file(file)
        with Store(db) as store, store.writing() as conn:
            sitting = replay_and_store(conn, data, first_number)
    except StoreError as error:
        _refuse([f"Erreur : {error}"])
    except Refused as refused:
        _refuse(refused.reasons)
    numbers = sitting.numbers
    span = f" : {numbers[0]} à {numbers[-1]}" if len(numbers) > 1 else f" : {numbers[0]}" if numbers else ""
    plural = "s" if len(numbers) > 1 else ""
    typer.echo(f"séance {sitting.id} enregistrée, {len(numbers)} délibération{plural}{span}")
    for item in sitting.items:
        if item.outcome == "retire":
            typer.echo(f"—\trapport n° {item.report}\tretiré")
        elif item.ballot is None:
            typer.echo(f"{item.number}\trapport n° {item.report}\tdonne acte")
        else:
            t = item.ballot.tally
            abstentions = f"{t.abstention} abstention{'s' if t.abstention > 1 else ''}"
            typer.echo(f"{item.number}\trapport n° {item.report}\t{RESULTS[t.result]} "
                       f"({t.pour} pour, {t.contre} contre, {abstentions})")


@seance.command("generer")
def generate_documents(
    sitting_id: Annotated[str, typer.Argument(help="Identifiant de la séance enregistrée, ex. cd-2025-09-22.")],
    out: Annotated[Path, typer.Option("--out", help="Dossier où écrire les documents (créé au besoin).")],
    config_file: Annotated[Path | None, typer.Option(
        "--config", help="Configuration de la collectivité (défaut : RECUEIL_CONFIG ou ./recueil.toml).")] = None,
    db: DbOption = None,
) -> None:
    """Écrire les documents d'une séance enregistrée, en texte et en PDF : chaque délibération et son
    rapport, la liste des délibérations, la convocation et le procès-verbal ; recueil ingest les relit."""
    from rich.console import Console
    from rich.progress import Progress

    from recueil.config import ConfigError
    from recueil.config import load as load_config
    from recueil.seance.generate import documents, load, public_casts, write
    from recueil.seance.rules import Refused
    from recueil.store.database import Store, StoreError

    try:
        settings = load_config(config_file)
        with Store(db, create=False) as store, store.engine.connect() as conn:
            sitting = load(conn, sitting_id)
            casts = public_casts(conn, sitting)
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Documents de la séance", total=len(sitting.deliberated) + 3)
            made = documents(sitting, casts, settings.collectivite,
                             lambda name: progress.update(task, advance=1, description=name))
        paths = write(made, out)
    except (StoreError, ConfigError) as error:
        _refuse([f"Erreur : {error}"])
    except Refused as refused:
        _refuse(refused.reasons)
    typer.echo(f"{len(paths)} fichiers écrits dans {out} ({len(paths) // 2} documents, texte et PDF).")


for _group in (membres, seance):  # the lists of `recueil membres --help`… show whole sentences, not click's cut
    for _command in _group.registered_commands:
        _command.short_help = _command.callback.__doc__ if _command.callback else None
