"""`recueil membres …`, `recueil seance …` and `recueil acte …`: the commands of the write side, registered by
`recueil.cli` as one Typer app. Each parses its arguments, calls the library and prints in French;
what it uses is imported in its body, so that `recueil --help` loads no store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, NoReturn

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
acte = typer.Typer(help="Après la séance : signature, préfecture, publication, historique.",
                   no_args_is_help=True, rich_markup_mode=None)
app.add_typer(membres, name="membres")
app.add_typer(seance, name="seance")
app.add_typer(acte, name="acte")
NumberArgument = Annotated[str, typer.Argument(help="Numéro de la délibération, AAAA-NNN.")]
DateOption = Annotated[str | None, typer.Option("--date", help="Date de l'étape, AAAA-MM-JJ (défaut : aujourd'hui).")]
ConfigOption = Annotated[Path | None, typer.Option(
    "--config", help="Configuration de la collectivité (défaut : RECUEIL_CONFIG ou ./recueil.toml).")]


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


def _today(day: str | None) -> str:
    from datetime import date

    return day or date.today().isoformat()


def _step(db: str | None, action: Any) -> Any:
    """Runs one step of an act's history in a writing transaction; a refusal exits 2, in French."""
    from recueil.seance.rules import Refused
    from recueil.store.database import Store, StoreError

    try:
        with Store(db, create=False) as store, store.writing() as conn:
            return action(conn)
    except StoreError as error:
        _refuse([f"Erreur : {error}"])
    except Refused as refused:
        _refuse(refused.reasons)


@acte.command("statut")
def act_status(number: NumberArgument, db: DbOption = None) -> None:
    """L'historique daté d'un acte : signature, transmission, accusé de réception, messages de la
    préfecture, publication."""
    from recueil.seance.rules import Refused
    from recueil.seance.transmission import status_lines
    from recueil.store.database import Store, StoreError

    try:
        with Store(db, create=False) as store, store.engine.connect() as conn:
            lines = status_lines(conn, number)
    except StoreError as error:
        _refuse([f"Erreur : {error}"])
    except Refused as refused:
        _refuse(refused.reasons)
    for line in lines:
        typer.echo(line)


@acte.command("signer")
def act_sign(
    number: NumberArgument,
    signatory: Annotated[str, typer.Option("--signataire", help="Qui signe, nom tel qu'imprimé.")],
    day: DateOption = None,
    db: DbOption = None,
) -> None:
    """Enregistrer la signature d'un acte délibéré (une seule : un acte signé ne se modifie plus)."""
    from recueil.seance.transmission import describe, sign

    event = _step(db, lambda conn: sign(conn, number, _today(day), signatory))
    typer.echo(f"{number} : {describe(event)}, le {event.date}")


@acte.command("transmettre")
def act_transmit(
    number: NumberArgument,
    day: DateOption = None,
    nature: Annotated[str, typer.Option("--nature", help="Nature ACTES : DE délibération, AR acte réglementaire, "
                                        "AI acte individuel, CC contrat, BF budget, AU autre.")] = "DE",
    matiere: Annotated[str | None, typer.Option("--matiere", help="Code matière ACTES (défaut : celui de l'acte).")] = None,
    subject: Annotated[str | None, typer.Option("--objet", help="Objet (499 caractères au plus ; défaut : le titre).")] = None,
    config_file: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Enregistrer la transmission d'un acte signé à la préfecture, sous son identifiant ACTES."""
    from recueil import config
    from recueil.seance.transmission import describe, transmit

    try:
        settings = config.load(config_file)
    except config.ConfigError as error:
        _refuse([f"Erreur : {error}"])
    sent = _step(db, lambda conn: transmit(conn, number, _today(day), settings, nature, matiere, subject))
    for note in sent.notes:
        typer.echo(note)
    typer.echo(f"{number} : {describe(sent.event)}, le {sent.event.date}")


@acte.command("accuse")
def act_acknowledge(
    number: NumberArgument,
    ack: Annotated[str, typer.Option("--numero", help="Numéro de l'accusé de réception (identifiant ACTES et rang).")],
    day: DateOption = None,
    db: DbOption = None,
) -> None:
    """Enregistrer l'accusé de réception de la préfecture pour un acte transmis."""
    from recueil.seance.transmission import acknowledge, describe

    event = _step(db, lambda conn: acknowledge(conn, number, ack, _today(day)))
    typer.echo(f"{number} : {describe(event)}, le {event.date}")


@acte.command("message")
def act_message(
    number: NumberArgument,
    kind: Annotated[str, typer.Option("--type", help="lettre_observations, demande_pieces ou defere.")],
    day: DateOption = None,
    text: Annotated[str | None, typer.Option("--texte", help="Ce que dit le message, en bref.")] = None,
    db: DbOption = None,
) -> None:
    """Enregistrer un message de la préfecture sur un acte reçu : lettre d'observations, demande de
    pièces complémentaires, déféré."""
    from recueil.seance.transmission import describe, message

    event = _step(db, lambda conn: message(conn, number, kind, _today(day), text))
    typer.echo(f"{number} : {describe(event)}, le {event.date}")


@acte.command("publier")
def act_publish(
    number: NumberArgument,
    day: DateOption = None,
    folder: Annotated[Path, typer.Option("--dir", envvar="RECUEIL_PUBLICATIONS", show_envvar=False,
                                         help="Dossier des publications et de leur registre (défaut : "
                                              "RECUEIL_PUBLICATIONS ou ./publications).")] = Path("publications"),
    config_file: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Publier un acte signé au registre des publications et l'inscrire à son historique."""
    from recueil import config
    from recueil.publish.masking import public_text
    from recueil.publish.publisher import PublishError, publish_act
    from recueil.publish.register import RegisterError
    from recueil.seance.rules import Refused
    from recueil.seance.transmission import check_publishable, describe, record_publication
    from recueil.store.database import Store, StoreError

    when = _today(day)
    try:
        settings = config.load(config_file)
        with Store(db, create=False) as store:
            with store.engine.connect() as conn:
                check_publishable(conn, number, when)
            entry = publish_act(store, folder, number, settings.collectivite, when,
                                public=public_text(store, settings.publication.masquer_personnes),
                                notify=lambda line: typer.echo(line, err=True))
            with store.writing() as conn:
                event = record_publication(conn, number, entry.date, entry.to_dict())
    except (StoreError, PublishError, RegisterError, config.ConfigError) as error:
        _refuse([f"Erreur : {error}"])
    except Refused as refused:
        _refuse(refused.reasons)
    typer.echo(f"{number} : {describe(event)}, le {event.date}")


for _group in (membres, seance, acte):  # the lists of `recueil membres --help`… show whole sentences, not click's cut
    for _command in _group.registered_commands:
        _command.short_help = _command.callback.__doc__ if _command.callback else None
