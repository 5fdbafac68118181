"""`recueil membres depuis-documents`: members and groups seeded from the corpus store, and what
stays unknown."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from recueil.cli import app
from recueil.seance.members import NON_INSCRITS, Roster, load_members, read_csv, replace_members
from recueil.seance.seeding import close_names, seed
from recueil.store.browse import Browser
from recueil.store.database import Store
from recueil.store.ledger import member_records

runner = CliRunner()


def _copy(corpus_db: str, tmp_path: Path) -> str:
    """A copy of the session's corpus store, which the other tests only read."""
    target = tmp_path / "seeded.db"
    shutil.copyfile(corpus_db.removeprefix("sqlite:///"), target)
    return f"sqlite:///{target}"


def test_seeding_from_the_corpus_names_members_groups_and_what_stays_unknown(corpus_db: str,
                                                                              tmp_path: Path) -> None:
    db = _copy(corpus_db, tmp_path)
    with Store(db) as store, store.writing() as conn:
        replace_members(conn, read_csv(b"nom,civilite,organe,groupe\nMarine LE PEN,Mme,cd,Groupe Rassemblement National\n"))
        found = seed(conn)
        again = seed(conn)
        periods = load_members(conn)
    assert (found.members, found.by_body) == (100, {"conseil_departemental": 79, "commission_permanente": 49})
    assert (found.added, found.kept, again.added, again.kept) == (127, 1, 0, 128)  # the imported period is kept
    assert again.without_group == found.without_group and len(periods) == 128
    cd = Roster.on(periods, "conseil_departemental", "2025-09-22")
    cp = Roster.on(periods, "commission_permanente", "2021-06-07")
    # 78 councillors, and one of them misprinted once ("GOSSSELIN"): reported, not merged
    assert len(cd.in_office) == 79 and found.close_names == [("Séverine GOSSELIN", "Séverine GOSSSELIN")]
    assert cd.find("Jean-Claude LEROY").group == "Groupe Socialiste, Républicain et Citoyen"  # signed its vœux
    assert cd.find("Bruno COUSEIN").group == "Groupe Union pour le Pas-de-Calais"  # named in a vote block
    assert cd.find("Jean-Marc TELLIER").group == "Groupe Communiste et Républicain"
    assert cd.find("Mireille HINGREZ CEREDA").name == "Mireille HINGREZ-CÉRÉDA"  # as the roll call prints it
    assert cd.find("Marine LE PEN").group == "Groupe Rassemblement National"
    leroy = cd.find("Jean-Claude LEROY")
    assert (leroy.civility, leroy.start, leroy.end) == ("M.", "2025-09-22", None)
    assert cd.find("Zohra OUAGUEF").group == NON_INSCRITS
    assert len(cp.members) == 49 and len(cp.in_office) == 43  # 6 attend "sans voix délibérative"
    assert {len(names) for names in found.without_group.values()} == {26, 43}
    assert "Zohra OUAGUEF" in found.without_group["conseil_departemental"]
    assert "Marine LE PEN" not in found.without_group["conseil_departemental"]
    assert found.without_civility == [] and found.without_canton == 100 and found.conflicts == []


def test_a_group_no_document_states_is_no_fact(corpus_db: str, tmp_path: Path) -> None:
    """Seeded "Non-inscrits" for want of a stated group, a member keeps no group in the export, on
    the site, nor in the counts by group derived from the blocks."""
    db = _copy(corpus_db, tmp_path)
    with Store(db) as store:
        before = _listed(store)
        with store.writing() as conn:
            seed(conn)
        with store.engine.connect() as conn:
            exported = {(r["name"], r["body"]): r["group"] for r in member_records(conn)}
            catalog = Browser(store).catalog(conn)
        after = _listed(store)
    assert exported["Zohra OUAGUEF", "conseil_departemental"] is None
    assert exported["Jean-Claude LEROY", "conseil_departemental"] == "Groupe Socialiste, Républicain et Citoyen"
    who = catalog.councillors
    assert (who["zohra-ouaguef"].group, who["zohra-ouaguef"].group_source) == (None, None)
    assert (who["jean-claude-leroy"].group, who["jean-claude-leroy"].group_source) == (
        "Groupe Socialiste, Républicain et Citoyen", "members")
    assert after == before  # the seeded list is not the members of a date: nothing more derived


def _listed(store: Store) -> dict[str, object]:
    with store.engine.connect() as conn:
        return {row["number"]: row["group_counts"] for row in Browser(store).catalog(conn).deliberations}


def test_the_command_reports_what_stays_unknown(corpus_db: str, tmp_path: Path) -> None:
    db = _copy(corpus_db, tmp_path)
    lines = runner.invoke(app, ["membres", "depuis-documents", "--db", db]).stdout.splitlines()
    assert lines[0] == ("100 membres dans les documents (Conseil départemental : 79 ; Commission permanente : 49) ; "
                        "périodes ajoutées : 128.")
    assert lines[1].startswith("Groupe inconnu, enregistré « Non-inscrits » (Conseil départemental, 27) : "
                               "Zohra OUAGUEF, ")
    assert "Marine LE PEN" in lines[1]  # her group is inferred from an absence, not stated: no seed
    assert lines[2].startswith("Groupe inconnu, enregistré « Non-inscrits » (Commission permanente, 43) : ")
    assert lines[3:] == [
        "Canton inconnu pour 100 membres : les documents ne l'impriment pas (recueil membres import le donne).",
        "Noms à une lettre près, peut-être une coquille : Séverine GOSSELIN / Séverine GOSSSELIN."]
    again = runner.invoke(app, ["membres", "depuis-documents", "--db", db])
    assert again.exit_code == 0
    assert again.stdout.splitlines()[1] == "Déjà enregistrés dans leur assemblée, gardés tels quels : 128."


def test_an_empty_store_has_no_member_to_seed(tmp_path: Path) -> None:
    result = runner.invoke(app, ["membres", "depuis-documents", "--db", f"sqlite:///{tmp_path / 'vide.db'}"])
    assert result.exit_code == 0
    assert result.stdout == "Aucun membre dans les documents lus (recueil ingest d'abord).\n"


def test_close_names_are_one_letter_apart() -> None:
    assert close_names(["Jean DUPONT", "Jean DUPOND", "Jean DUPONTE", "Jeanne DUPONT", "Paul DURAND"]) == [
        ("Jean DUPOND", "Jean DUPONT"), ("Jean DUPONT", "Jean DUPONTE")]
