"""`recueil membres …`, `recueil seance …` and `recueil acte …`: the commands of the write side, groups that
`recueil.cli` adds to its own. Each parses its arguments, calls the library and prints in French;
what it uses is imported in its body, so that `recueil --help` loads no store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import click
from click.exceptions import Exit

from recueil.cli_common import config_option, db_option, dir_option

number_argument = click.argument("number", metavar="NUMÉRO")
date_option = click.option("--date", "day", metavar="AAAA-MM-JJ", help="Date de l'étape (défaut : aujourd'hui).")


@click.group()
def membres() -> None:
    """Les membres des assemblées et leurs groupes, période par période."""


@click.group()
def seance() -> None:
    """Les séances, rejouées sous les règles du CGCT."""


@click.group()
def acte() -> None:
    """Après la séance : signature, préfecture, publication, historique.

    NUMÉRO : numéro de la délibération, AAAA-NNN."""


GROUPS = (membres, seance, acte)


def _refuse(lines: list[str]) -> NoReturn:
    """One French line per problem on stderr, and exit code 2."""
    for line in lines:
        click.echo(line, err=True)
    raise Exit(2)


@membres.command("import")
@click.argument("file", type=click.Path(path_type=Path), metavar="FICHIER")
@db_option
def import_members(file: Path, db: str | None) -> None:
    """Importer la liste des membres (une ligne par période dans un groupe) : elle remplace celle des
    assemblées qu'elle nomme ; une seule erreur et rien n'est enregistré.

    FICHIER : CSV aux colonnes nom, civilite, organe, groupe, canton, votant, du, au."""
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
        click.echo(f"{assembly_name(body)} : {count} membre{'s' if count > 1 else ''}")


@membres.command("depuis-documents")
@db_option
def members_from_documents(db: str | None) -> None:
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
        click.echo("Aucun membre dans les documents lus (recueil ingest d'abord).")
        return
    bodies = " ; ".join(f"{assembly_name(body)} : {count}" for body, count in found.by_body.items())
    click.echo(f"{found.members} membres dans les documents ({bodies}) ; périodes ajoutées : {found.added}.")
    if found.kept:
        click.echo(f"Déjà enregistrés dans leur assemblée, gardés tels quels : {found.kept}.")
    for body, names in found.without_group.items():
        click.echo(f"Groupe inconnu, enregistré « {NON_INSCRITS} » ({assembly_name(body)}, {len(names)}) : "
                   f"{', '.join(names)}.")
    if found.without_civility:
        click.echo(f"Civilité inconnue ({len(found.without_civility)}) : {', '.join(found.without_civility)}.")
    if found.without_canton:
        click.echo(f"Canton inconnu pour {found.without_canton} membres : les documents ne l'impriment pas "
                   "(recueil membres import le donne).")
    for conflict in found.conflicts:
        click.echo(f"Deux groupes pour un membre : {conflict} (le plus cité est gardé).")
    for a, b in found.close_names:
        click.echo(f"Noms à une lettre près, peut-être une coquille : {a} / {b}.")


@seance.command("import")
@click.argument("file", type=click.Path(path_type=Path), metavar="FICHIER")
@click.option("--premier-numero", "first_number", metavar="AAAA-NNN",
              help="Premier numéro de délibération à donner (défaut : le suivant de l'année).")
@db_option
def import_sitting(file: Path, first_number: str | None, db: str | None) -> None:
    """Rejouer une séance décrite dans un fichier JSON à travers les règles du CGCT et l'enregistrer :
    code 0 et les numéros donnés, ou code 2, une ligne par règle enfreinte, et rien d'enregistré.

    FICHIER : la séance en JSON (DESIGN.md §4, seance.schema.json)."""
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
    click.echo(f"séance {sitting.id} enregistrée, {len(numbers)} délibération{plural}{span}")
    for item in sitting.items:
        if item.outcome == "retire":
            click.echo(f"—\trapport n° {item.report}\tretiré")
        elif item.ballot is None:
            click.echo(f"{item.number}\trapport n° {item.report}\tdonne acte")
        else:
            t = item.ballot.tally
            abstentions = f"{t.abstention} abstention{'s' if t.abstention > 1 else ''}"
            click.echo(f"{item.number}\trapport n° {item.report}\t{RESULTS[t.result]} "
                       f"({t.pour} pour, {t.contre} contre, {abstentions})")


@seance.command("generer")
@click.argument("sitting_id", metavar="SÉANCE")
@click.option("--out", required=True, type=click.Path(path_type=Path), metavar="DOSSIER",
              help="Dossier où écrire les documents (créé au besoin).")
@config_option
@db_option
def generate_documents(sitting_id: str, out: Path, config_file: Path | None, db: str | None) -> None:
    """Écrire les documents d'une séance enregistrée, en texte et en PDF : chaque délibération et son
    rapport, la liste des délibérations, la convocation et le procès-verbal ; recueil ingest les relit.

    SÉANCE : identifiant de la séance enregistrée, ex. cd-2025-09-22."""
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
    click.echo(f"{len(paths)} fichiers écrits dans {out} ({len(paths) // 2} documents, texte et PDF).")


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
@number_argument
@db_option
def act_status(number: str, db: str | None) -> None:
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
        click.echo(line)


@acte.command("signer")
@number_argument
@click.option("--signataire", "signatory", required=True, metavar="NOM", help="Qui signe, nom tel qu'imprimé.")
@date_option
@db_option
def act_sign(number: str, signatory: str, day: str | None, db: str | None) -> None:
    """Enregistrer la signature d'un acte délibéré (une seule : un acte signé ne se modifie plus)."""
    from recueil.seance.transmission import describe, sign

    event = _step(db, lambda conn: sign(conn, number, _today(day), signatory))
    click.echo(f"{number} : {describe(event)}, le {event.date}")


@acte.command("transmettre")
@number_argument
@date_option
@click.option("--nature", default="DE", show_default=True, metavar="NATURE",
              help="Nature ACTES : DE délibération, AR acte réglementaire, AI acte individuel, CC contrat, "
                   "BF budget, AU autre.")
@click.option("--matiere", metavar="CODE", help="Code matière ACTES (défaut : celui de l'acte).")
@click.option("--objet", "subject", help="Objet (499 caractères au plus ; défaut : le titre).")
@config_option
@db_option
def act_transmit(number: str, day: str | None, nature: str, matiere: str | None, subject: str | None,
                 config_file: Path | None, db: str | None) -> None:
    """Enregistrer la transmission d'un acte signé à la préfecture, sous son identifiant ACTES."""
    from recueil import config
    from recueil.seance.transmission import describe, transmit

    try:
        settings = config.load(config_file)
    except config.ConfigError as error:
        _refuse([f"Erreur : {error}"])
    sent = _step(db, lambda conn: transmit(conn, number, _today(day), settings, nature, matiere, subject))
    for note in sent.notes:
        click.echo(note)
    click.echo(f"{number} : {describe(sent.event)}, le {sent.event.date}")


@acte.command("accuse")
@number_argument
@click.option("--numero", "ack", required=True, metavar="ACCUSÉ",
              help="Numéro de l'accusé de réception (identifiant ACTES et rang).")
@date_option
@db_option
def act_acknowledge(number: str, ack: str, day: str | None, db: str | None) -> None:
    """Enregistrer l'accusé de réception de la préfecture pour un acte transmis."""
    from recueil.seance.transmission import acknowledge, describe

    event = _step(db, lambda conn: acknowledge(conn, number, ack, _today(day)))
    click.echo(f"{number} : {describe(event)}, le {event.date}")


@acte.command("message")
@number_argument
@click.option("--type", "kind", required=True, metavar="TYPE", help="lettre_observations, demande_pieces ou defere.")
@date_option
@click.option("--texte", "text", help="Ce que dit le message, en bref.")
@db_option
def act_message(number: str, kind: str, day: str | None, text: str | None, db: str | None) -> None:
    """Enregistrer un message de la préfecture sur un acte reçu : lettre d'observations, demande de
    pièces complémentaires, déféré."""
    from recueil.seance.transmission import describe, message

    event = _step(db, lambda conn: message(conn, number, kind, _today(day), text))
    click.echo(f"{number} : {describe(event)}, le {event.date}")


@acte.command("publier")
@number_argument
@date_option
@dir_option
@config_option
@db_option
def act_publish(number: str, day: str | None, folder: Path, config_file: Path | None, db: str | None) -> None:
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
                                notify=lambda line: click.echo(line, err=True))
            with store.writing() as conn:
                event = record_publication(conn, number, entry.date, entry.to_dict())
    except (StoreError, PublishError, RegisterError, config.ConfigError) as error:
        _refuse([f"Erreur : {error}"])
    except Refused as refused:
        _refuse(refused.reasons)
    click.echo(f"{number} : {describe(event)}, le {event.date}")

