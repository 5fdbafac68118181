"""Members and groups: the CSV list, dated periods, the roster of an assembly on a date, on both
databases, and `recueil membres import`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from recueil.cli import app
from recueil.seance.members import Membership, Roster, import_csv, load_members, read_csv
from recueil.seance.rules import Refused
from recueil.store.database import Store

LIST = """nom;civilité;organe;groupe;canton;votant;du;au
Jean-Claude LEROY;M.;Conseil départemental;Groupe Socialiste, Républicain et Citoyen;Lillers;oui;01/07/2021;
Marine LE PEN;Madame;cd;Groupe Rassemblement National;Hénin-Beaumont;oui;2021-07-01;
Bruno COUSEIN;M;conseil_departemental;Groupe Union Action 62;Arras-2;oui;2021-07-01;2023-12-31
Bruno COUSEIN;M.;conseil_departemental;Groupe Union pour le Pas-de-Calais;Arras-2;oui;2024-01-01;
Karine GAUTHIER;Mme;cd;;;oui;;
Denise BOCQUILLET;Mme;commission_permanente;Groupe Socialiste, Républicain et Citoyen;;non;;2021-06-30
"""


def test_a_change_of_group_is_a_new_period_and_the_roster_follows_the_date() -> None:
    periods = read_csv(LIST.encode())
    before, after = Roster.on(periods, "conseil_departemental", "2023-06-01"), \
        Roster.on(periods, "conseil_departemental", "2025-09-22")
    assert before.find("Bruno COUSEIN").group == "Groupe Union Action 62"
    assert after.find("bruno cousein").group == "Groupe Union pour le Pas-de-Calais"  # any case, any accent
    assert [m.name for m in after.in_office] == ["Jean-Claude LEROY", "Marine LE PEN", "Bruno COUSEIN",
                                                 "Karine GAUTHIER"]
    assert after.groups == ["Groupe Socialiste, Républicain et Citoyen", "Groupe Rassemblement National",
                            "Groupe Union pour le Pas-de-Calais", "Non-inscrits"]
    cp = Roster.on(periods, "commission_permanente", "2021-06-07")
    assert [m.name for m in cp.members] == ["Denise BOCQUILLET"] and cp.in_office == ()  # attends, no vote
    assert Roster.on(periods, "commission_permanente", "2021-07-01").members == ()
    assert periods[0].record() == {"name": "Jean-Claude LEROY", "civility": "M.", "body": "conseil_departemental",
                                   "group": "Groupe Socialiste, Républicain et Citoyen", "canton": "Lillers",
                                   "voting": True, "from": "2021-07-01", "to": None}
    assert periods[1].civility == "Mme" and periods[2].civility == "M."


def test_every_bad_row_is_one_line_naming_it() -> None:
    bad = """name,civility,body,group,voting,from,to
Jean DUPONT,Dr,cd,Groupe A,oui,,
,M.,cd,Groupe A,oui,,
Paul MARTIN,M.,sénat,Groupe A,oui,,
Anne DURAND,Mme,cd,Groupe A,peut-être,le 3 du mois,
Luc PETIT,M.,cd,Groupe A,oui,2024-01-01,2023-01-01
Eve ROUX,Mme,cd,Groupe A,oui,2021-07-01,
Eve ROUX,Mme,cd,Groupe B,oui,2024-01-01,
"""
    with pytest.raises(Refused) as refused:
        read_csv(bad.encode(), "liste.csv")
    assert refused.value.reasons == [
        "liste.csv, ligne 2 : civilité inconnue : « Dr » (M. ou Mme)",
        "liste.csv, ligne 3 : nom absent",
        "liste.csv, ligne 4 : organe inconnu : « sénat »",
        "liste.csv, ligne 5 : votant : « peut-être » n'est ni oui ni non",
        "liste.csv, ligne 5 : date illisible : « le 3 du mois »",
        "liste.csv, ligne 6 : période qui finit (2023-01-01) avant de commencer (2024-01-01)",
        "liste.csv, ligne 8 : Eve ROUX a déjà, au Conseil départemental, une période qui chevauche celle-ci "
        "(liste.csv, ligne 7)",
    ]


def test_missing_or_unknown_columns_are_named() -> None:
    with pytest.raises(Refused) as refused:
        read_csv(b"groupe;couleur\nGroupe A;rouge\n", "x.csv")
    columns = "(colonnes : nom, civilite, organe, groupe, canton, votant, du, au)"
    assert refused.value.reasons == [f"x.csv : colonne obligatoire absente : nom, organe {columns}",
                                     f"x.csv : colonne inconnue : couleur {columns}"]


def test_windows_1252_is_read() -> None:
    periods = read_csv("nom;organe;groupe\nAndré KUCHCINSKI;cd;Groupe Communiste et Républicain\n".encode("cp1252"))
    assert periods == [Membership("André KUCHCINSKI", None, "conseil_departemental",
                                  "Groupe Communiste et Républicain")]


def test_the_list_replaces_that_of_the_assemblies_it_names(store_url: str, tmp_path: Path) -> None:
    first, second = tmp_path / "membres.csv", tmp_path / "cp.csv"
    first.write_text(LIST, encoding="utf-8")
    second.write_text("nom,organe,groupe\nBruno COUSEIN,cp,Non-inscrits\n", encoding="utf-8")
    with Store(store_url) as store:
        with store.writing() as conn:
            assert import_csv(conn, first) == {"conseil_departemental": 4, "commission_permanente": 1}
        with store.writing() as conn:
            assert import_csv(conn, first) == {"conseil_departemental": 4, "commission_permanente": 1}  # again: same
            import_csv(conn, second)
        with store.engine.connect() as conn:
            cd, cp = load_members(conn, "conseil_departemental"), load_members(conn, "commission_permanente")
    assert cd == read_csv(LIST.encode())[:5]
    assert cp == [Membership("Bruno COUSEIN", None, "commission_permanente", "Non-inscrits")]


def test_the_command_imports_or_refuses_the_whole_file(tmp_path: Path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'store.db'}"
    good, bad = tmp_path / "membres.csv", tmp_path / "mauvais.csv"
    good.write_text(LIST, encoding="utf-8")
    bad.write_text(LIST.replace("Arras-2;oui;2024", "Arras-2;peut-être;2024"), encoding="utf-8")
    done = runner.invoke(app, ["membres", "import", str(good), "--db", db])
    assert (done.exit_code, done.stdout) == (0, "Conseil départemental : 4 membres\nCommission permanente : 1 membre\n")
    refused = runner.invoke(app, ["membres", "import", str(bad), "--db", db])
    assert refused.exit_code == 2
    assert refused.stderr == "mauvais.csv, ligne 5 : votant : « peut-être » n'est ni oui ni non\n"
    with Store(db) as store, store.engine.connect() as conn:
        assert len(load_members(conn)) == 6  # the first list, whole
    missing = runner.invoke(app, ["membres", "import", str(tmp_path / "absent.csv"), "--db", db])
    assert missing.exit_code == 2 and "absent.csv : illisible" in missing.stderr
