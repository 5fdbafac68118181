"""After the sitting: sign, transmit to the préfecture under the ACTES identifier, acknowledge,
the préfecture's messages, publish — each step a new dated row, every step out of order refused
with the rule it breaks and nothing recorded; `recueil acte statut` shows the history. On the
example sitting (examples/seance-exemple.json), on both databases and through the command line."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import DBAPIError

from recueil import jobs
from recueil.cli import app
from recueil.config import Collectivite, Config
from recueil.seance import transmission as t
from recueil.seance.importer import import_sitting
from recueil.seance.rules import Refused
from recueil.store import schema
from recueil.store.database import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = date(2025, 6, 30)
CONFIG = Config(Collectivite(siret="22620001200012", prefecture="PREF062"), named=frozenset({"siret", "prefecture"}))
ACTES_ID = "062-226200012-20250303-2025_031-DE"
ACTES = re.compile(r"^\d{2}[0-9AB]-\d{9}-\d{8}-[A-Z0-9_]{1,15}-(DE|AR|AI|CC|BF|AU)$")
runner = CliRunner()


def example() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES / "seance-exemple.json").read_text(encoding="utf-8"))
    return loaded


def imported(url: str, data: dict[str, Any] | None = None) -> Store:
    store = Store(url)
    with store.writing() as conn:
        import_sitting(conn, data or example(), "2025-031")
    return store


def rows(conn: Connection) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(select(schema.act_events).order_by(schema.act_events.c.pk))]


def refused(store: Store, step: Any) -> list[str]:
    """The reasons a step is refused for, checking that it recorded nothing."""
    with store.engine.connect() as conn:
        before = rows(conn)
    with pytest.raises(Refused) as caught, store.writing() as conn:
        step(conn)
    with store.engine.connect() as conn:
        assert rows(conn) == before
    return caught.value.reasons


def test_the_actes_identifier() -> None:
    assert t.actes_id("062", "226200012", "2025-09-22", "2025-360", "DE") == "062-226200012-20250922-2025_360-DE"
    assert ACTES.match(t.actes_id("062", "226200012", "2025-09-22", "2025-360", "DE"))
    assert t.actes_prefix(CONFIG) == ("062", "226200012")
    corsica = Config(Collectivite(siret="22200001600018", prefecture="SPREF02A1"), named=frozenset({"siret", "prefecture"}))
    assert t.actes_prefix(corsica) == ("02A", "222000016")
    with pytest.raises(Refused) as defaults:
        t.actes_prefix(Config())
    assert defaults.value.reasons == [
        "transmission ACTES : siret et prefecture absents de recueil.toml, section [collectivite] (l'identifiant "
        "ACTES porte le département et le SIREN de la collectivité ; les valeurs par défaut ne servent pas à "
        "transmettre)"]
    with pytest.raises(Refused) as region:
        t.actes_prefix(Config(Collectivite(prefecture="SGAR059"), named=frozenset({"siret", "prefecture"})))
    assert region.value.reasons == ["transmission ACTES : la préfecture SGAR059 de recueil.toml ne donne pas de "
                                    "département (PREF062 ou SPREF0621 attendu)"]


def test_the_history_of_an_act_is_only_added_to(store_url: str, tmp_path: Path) -> None:
    store = imported(store_url)
    jobs.ingest(store, [EXAMPLES / "seance-exemple.md"], workers=1)  # the text to publish
    seen: list[tuple[Any, ...]] = []
    steps = [
        lambda conn: t.sign(conn, "2025-031", "2025-03-04", "Hélène VASSEUR", TODAY),
        lambda conn: t.transmit(conn, "2025-031", "2025-03-05", CONFIG, today=TODAY).event,
        lambda conn: t.acknowledge(conn, "2025-031", f"{ACTES_ID}-1-1", "2025-03-06", TODAY),
        lambda conn: t.message(conn, "2025-031", "demande_pieces", "2025-04-02", "Liste des bibliothèques", TODAY),
        lambda conn: t.message(conn, "2025-031", "lettre_observations", "2025-04-20", None, TODAY),
        lambda conn: t.message(conn, "2025-031", "defere", "2025-05-02", "Tribunal administratif de Lille", TODAY),
    ]
    for step in steps:
        with store.writing() as conn:
            step(conn)
        with store.engine.connect() as conn:
            now = rows(conn)
        assert now[:len(seen)] == seen and len(now) == len(seen) + 1  # earlier rows untouched, one more
        seen = now
    from recueil.publish.publisher import publish_act

    entry = publish_act(store, tmp_path / "pub", "2025-031", CONFIG.collectivite, "2025-03-10")
    with store.writing() as conn:
        t.record_publication(conn, "2025-031", entry.date, entry.to_dict(), TODAY)
    with store.engine.connect() as conn:
        assert rows(conn)[:len(seen)] == seen
        lines = t.status_lines(conn, "2025-031")
    assert lines[:8] == [
        "Délibération n° 2025-031 — Aide départementale aux bibliothèques rurales",
        "Conseil départemental, séance du 3 mars 2025",
        "2025-03-04\tsigné par Hélène VASSEUR",
        f"2025-03-05\ttransmis à la préfecture : {ACTES_ID}, matière 7.5, objet « Aide départementale aux "
        "bibliothèques rurales »",
        f"2025-03-06\taccusé de réception n° {ACTES_ID}-1-1",
        f"2025-03-10\tpublié : https://www.pasdecalais.fr/publications/2025/2025-031.pdf (registre, entrée n° 1, "
        f"SHA-256 {entry.sha256[:16]}…)",
        "2025-04-02\tdemande de pièces complémentaires : Liste des bibliothèques",
        "2025-04-20\tlettre d'observations",
    ]
    assert lines[8:] == ["2025-05-02\tdéféré au tribunal administratif : Tribunal administratif de Lille",
                         "Imprimé sur l'acte lu :", "2025-03-10\tenvoyé en préfecture",
                         "2025-03-10\treçu en préfecture, accusé de réception n° "
                         "099-229900010-20250303-ex0000001-DE-1-1", "2025-03-11\tpublié"]
    with store.engine.connect() as conn:
        history = t.history(conn, "2025-031")[1]
    assert [(e.seq, e.kind) for e in history] == [
        (1, "signature"), (2, "transmission"), (3, "accuse"), (4, "message"), (5, "message"), (6, "message"),
        (7, "publication")]
    table = schema.act_events
    for rewrite in (update(table).values(date="2025-03-01"), delete(table).where(table.c.seq == 7)):
        with pytest.raises(DBAPIError, match="historique des actes : une étape enregistrée ne se modifie ni ne se "
                                             "supprime"), store.writing() as conn:
            conn.execute(rewrite)
    with store.engine.connect() as conn:
        assert len(rows(conn)) == 7 and rows(conn)[:6] == seen
    store.close()


def test_every_step_out_of_order_is_refused(tmp_path: Path) -> None:
    store = imported(f"sqlite:///{tmp_path / 's.db'}")
    n = "2025-031"
    assert refused(store, lambda c: t.transmit(c, n, "2025-03-05", CONFIG, today=TODAY)) == [
        "transmission de l'acte 2025-031 avant sa signature (l'acte transmis au contrôle de légalité est l'acte "
        "signé : recueil acte signer d'abord)"]
    assert refused(store, lambda c: t.acknowledge(c, n, f"{ACTES_ID}-1-1", "2025-03-05", TODAY)) == [
        "accusé de réception de l'acte 2025-031 avant sa transmission (la préfecture n'accuse réception que d'un "
        "acte transmis)"]
    assert refused(store, lambda c: t.message(c, n, "defere", "2025-03-05", today=TODAY)) == [
        "message de la préfecture sur l'acte 2025-031 avant son accusé de réception (la préfecture ne répond que sur "
        "un acte dont elle a accusé réception)"]
    assert refused(store, lambda c: t.check_publishable(c, n, "2025-03-05", TODAY)) == [
        "publication de l'acte 2025-031 avant sa signature (seul l'acte signé est publié : recueil acte signer "
        "d'abord)"]
    assert refused(store, lambda c: t.sign(c, n, "2025-03-02", " ", TODAY)) == [
        "signataire absent (--signataire)",
        "signature le 2 mars 2025, avant la séance du 3 mars 2025 qui a décidé l'acte"]
    assert refused(store, lambda c: t.sign(c, n, "2025-07-01", "Hélène VASSEUR", TODAY)) == [
        "signature le 1er juillet 2025 : date à venir (l'historique enregistre ce qui a eu lieu)"]
    assert refused(store, lambda c: t.sign(c, "2025-033", "2025-03-04", "Hélène VASSEUR", TODAY)) == [
        "acte inconnu : 2025-033 (ni donné par une séance enregistrée, ni lu dans un document)"]
    with store.writing() as conn:
        t.sign(conn, n, "2025-03-04", "Hélène VASSEUR", TODAY)
    assert refused(store, lambda c: t.sign(c, n, "2025-03-05", "Thomas GRANDEL", TODAY)) == [
        "acte 2025-031 déjà signé le 4 mars 2025 par Hélène VASSEUR (un acte signé n'est jamais modifié : il se "
        "corrige ou se retire par un nouvel acte)"]
    assert refused(store, lambda c: t.transmit(c, n, "2025-03-03", Config(), "XX", "99.9", today=TODAY)) == [
        "transmission le 3 mars 2025, avant la signature le 4 mars 2025",
        "nature ACTES inconnue : « XX » (DE délibération, AR acte réglementaire, AI acte individuel, CC contrat, "
        "convention ou avenant, BF document budgétaire et financier, AU autre acte)",
        "code matière ACTES inconnu : « 99.9 » (nomenclature ACTES, par exemple 7.5 ; --matiere)",
        "transmission ACTES : siret et prefecture absents de recueil.toml, section [collectivite] (l'identifiant "
        "ACTES porte le département et le SIREN de la collectivité ; les valeurs par défaut ne servent pas à "
        "transmettre)"]
    assert refused(store, lambda c: t.transmit(c, n, "2025-03-05", CONFIG, subject="x" * 500, today=TODAY)) == [
        "objet de 500 caractères (ACTES : 499 au plus)"]
    with store.writing() as conn:
        sent = t.transmit(conn, n, "2025-03-05", CONFIG, matiere="8.9", today=TODAY)
    assert (sent.event.data["actes_id"], sent.event.data["matiere_code"], sent.notes) == (ACTES_ID, "8.9", [])
    assert ACTES.match(sent.event.data["actes_id"])
    assert refused(store, lambda c: t.transmit(c, n, "2025-03-06", CONFIG, today=TODAY)) == [
        f"acte 2025-031 déjà transmis le 5 mars 2025 ({ACTES_ID}) : une transmission ne se refait pas, un acte "
        "corrigé est un nouvel acte"]
    assert refused(store, lambda c: t.message(c, n, "defere", "2025-03-06", today=TODAY)) == [
        "message de la préfecture sur l'acte 2025-031 avant son accusé de réception (la préfecture ne répond que sur "
        "un acte dont elle a accusé réception)"]
    assert refused(store, lambda c: t.acknowledge(c, n, "062-226200012-20250303-2025_032-DE-1-1", "2025-03-04",
                                                  TODAY)) == [
        "numéro d'accusé de réception « 062-226200012-20250303-2025_032-DE-1-1 » : il reprend l'identifiant de "
        f"l'acte transmis suivi de son rang ({ACTES_ID}-1-1)",
        "accusé de réception le 4 mars 2025, avant la transmission le 5 mars 2025"]
    with store.writing() as conn:
        t.acknowledge(conn, n, f"{ACTES_ID.lower()}-1-1", "2025-03-06", TODAY)
    assert refused(store, lambda c: t.acknowledge(c, n, f"{ACTES_ID}-1-1", "2025-03-07", TODAY)) == [
        f"acte 2025-031 : accusé de réception déjà enregistré ({ACTES_ID.lower()}-1-1, le 6 mars 2025)"]
    assert refused(store, lambda c: t.message(c, n, "circulaire", "2025-03-05", today=TODAY)) == [
        "type de message inconnu : « circulaire » (lettre_observations, demande_pieces, defere)",
        "message le 5 mars 2025, avant l'accusé de réception le 6 mars 2025"]
    with store.writing() as conn:
        t.record_publication(conn, n, "2025-03-10", {"seq": 1, "file": "2025/2025-031.pdf",
                                                     "url": "https://x/2025-031.pdf", "sha256": "0" * 64}, TODAY)
    assert refused(store, lambda c: t.check_publishable(c, n, "2025-03-11", TODAY)) == [
        "acte 2025-031 déjà publié le 10 mars 2025 (registre, entrée n° 1) : une version rectifiée se publie par "
        "recueil publish --corrige"]
    with store.writing() as conn:
        t.sign(conn, "2025-032", "2025-03-04", "Hélène VASSEUR", TODAY)
    assert refused(store, lambda c: t.check_publishable(c, "2025-032", "2025-03-03", TODAY)) == [
        "publication le 3 mars 2025, avant la signature le 4 mars 2025"]
    store.close()


def test_a_long_title_is_cut_to_the_actes_subject(tmp_path: Path) -> None:
    data = example()
    title = "Aide départementale aux bibliothèques rurales, " + " ".join(["programme de lecture publique"] * 20)
    data["items"][0]["title"] = title
    store = imported(f"sqlite:///{tmp_path / 's.db'}", data)
    with store.writing() as conn:
        t.sign(conn, "2025-031", "2025-03-04", "Hélène VASSEUR", TODAY)
        sent = t.transmit(conn, "2025-031", "2025-03-05", CONFIG, today=TODAY)
    subject = sent.event.data["subject"]
    assert len(title) == 646 and len(subject) == 497  # cut between two words
    assert subject == title[:496] + "…" and title[496] == " "
    assert sent.notes == ["objet coupé à 497 caractères (ACTES : 499 au plus ; le titre en a 646)"]
    store.close()


def test_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    imported(db).close()
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> Any:
        result = runner.invoke(app, ["acte", *args, "--db", db])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    early = run("transmettre", "2025-032", "--date", "2025-03-05")
    assert (early.exit_code, early.stdout) == (2, "")
    assert early.stderr.splitlines() == [
        "transmission de l'acte 2025-032 avant sa signature (l'acte transmis au contrôle de légalité est l'acte "
        "signé : recueil acte signer d'abord)",
        "transmission ACTES : siret et prefecture absents de recueil.toml, section [collectivite] (l'identifiant "
        "ACTES porte le département et le SIREN de la collectivité ; les valeurs par défaut ne servent pas à "
        "transmettre)"]
    signed = run("signer", "2025-032", "--date", "2025-03-04", "--signataire", "Hélène VASSEUR")
    assert (signed.exit_code, signed.stdout) == (0, "2025-032 : signé par Hélène VASSEUR, le 2025-03-04\n")
    (tmp_path / "recueil.toml").write_text('[collectivite]\nsiret = "22620001200012"\nprefecture = "PREF062"\n',
                                           encoding="utf-8")
    sent = run("transmettre", "2025-032", "--date", "2025-03-05")
    assert sent.exit_code == 0
    assert sent.stdout == ("2025-032 : transmis à la préfecture : 062-226200012-20250303-2025_032-DE, matière 8.3, "
                           "objet « Entretien des routes départementales - programme 2025 », le 2025-03-05\n")
    ack = run("accuse", "2025-032", "--numero", "062-226200012-20250303-2025_032-DE-1-1", "--date", "2025-03-05")
    assert ack.exit_code == 0
    message = run("message", "2025-032", "--type", "lettre_observations", "--date", "2025-04-01")
    assert (message.exit_code, message.stdout) == (0, "2025-032 : lettre d'observations, le 2025-04-01\n")
    status = run("statut", "2025-032")
    assert status.exit_code == 0
    assert status.stdout.splitlines() == [
        "Délibération n° 2025-032 — Entretien des routes départementales - programme 2025",
        "Conseil départemental, séance du 3 mars 2025",
        "2025-03-04\tsigné par Hélène VASSEUR",
        "2025-03-05\ttransmis à la préfecture : 062-226200012-20250303-2025_032-DE, matière 8.3, objet « Entretien "
        "des routes départementales - programme 2025 »",
        "2025-03-05\taccusé de réception n° 062-226200012-20250303-2025_032-DE-1-1",
        "2025-04-01\tlettre d'observations"]
    unknown = run("statut", "2024-999")
    assert (unknown.exit_code, unknown.stderr) == (
        2, "acte inconnu : 2024-999 (ni donné par une séance enregistrée, ni lu dans un document)\n")
    unpublished = run("publier", "2025-031", "--date", "2025-03-10", "--dir", str(tmp_path / "pub"))
    assert (unpublished.exit_code, unpublished.stderr) == (
        2, "publication de l'acte 2025-031 avant sa signature (seul l'acte signé est publié : recueil acte signer "
           "d'abord)\n")
    no_text = run("publier", "2025-032", "--date", "2025-03-10", "--dir", str(tmp_path / "pub"))
    assert (no_text.exit_code, no_text.stderr) == (
        2, "Erreur : 2025-032 : pas de texte de l'acte dans la base à publier (le générer, recueil seance generer, "
           "puis le lire, recueil ingest)\n")


def test_publishing_waits_for_the_signature(tmp_path: Path) -> None:
    """`recueil publish` leaves an act of a recorded sitting until it is signed, and enters the
    publication of a signed one in its history."""
    store = imported(f"sqlite:///{tmp_path / 's.db'}")
    jobs.ingest(store, [EXAMPLES / "seance-exemple.md"], workers=1)
    with store.writing() as conn:
        t.sign(conn, "2025-031", "2025-03-04", "Hélène VASSEUR", TODAY)
    told: list[str] = []
    entries = jobs.publish(store, tmp_path / "pub", day="2025-03-10", workers=1, notify=told.append)
    assert [e.act for e in entries] == ["2025-031", "cd-2025-03-03/liste", "cd-2025-03-03/proces-verbal"]
    assert told == ["Pas encore signé, donc pas publié : 2025-032 (recueil acte signer)"]
    with store.engine.connect() as conn:
        assert [(e.kind, e.date, e.data["register_seq"]) for e in t.history(conn, "2025-031")[1]
                if e.kind == "publication"] == [("publication", "2025-03-10", 1)]
        assert [e.kind for e in t.history(conn, "2025-032")[1]] == []
    with store.writing() as conn:
        t.sign(conn, "2025-032", "2025-03-11", "Hélène VASSEUR", TODAY)
    store.close()
    db = f"sqlite:///{tmp_path / 's.db'}"
    published = runner.invoke(app, ["acte", "publier", "2025-032", "--date", "2025-03-12", "--dir",
                                    str(tmp_path / "pub"), "--db", db])
    assert published.exit_code == 0, published.output
    assert published.stdout.startswith("2025-032 : publié : https://www.pasdecalais.fr/publications/2025/2025-032.pdf "
                                       "(registre, entrée n° 4, SHA-256 ")
    again = runner.invoke(app, ["acte", "publier", "2025-032", "--date", "2025-03-12", "--dir",
                                str(tmp_path / "pub"), "--db", db])
    assert (again.exit_code, again.stderr) == (2, "acte 2025-032 déjà publié le 12 mars 2025 (registre, entrée n° 4) "
                                                  ": une version rectifiée se publie par recueil publish --corrige\n")
    with Store(db) as again_store:
        assert jobs.publish(again_store, tmp_path / "pub", day="2025-03-13", workers=1) == []  # all published


def test_the_history_completes_what_the_generated_act_does_not_print(tmp_path: Path) -> None:
    """The acts generated from the recorded sitting print no transmission: the JSONL record, the
    SCDL row and the deliberation page take its dates and acknowledgement from the history."""
    from fastapi.testclient import TestClient

    from recueil.web import create_app

    db = f"sqlite:///{tmp_path / 's.db'}"
    imported(db).close()
    generated = runner.invoke(app, ["seance", "generer", "cd-2025-03-03", "--out", str(tmp_path / "gen"), "--db", db])
    assert generated.exit_code == 0, generated.output
    with Store(db) as store:
        assert {o.status for o in jobs.ingest(store, [tmp_path / "gen"], workers=1)} == {"nouveau"}
        with store.writing() as conn:
            t.sign(conn, "2025-031", "2025-03-04", "Hélène VASSEUR", TODAY)
            t.transmit(conn, "2025-031", "2025-03-05", CONFIG, today=TODAY)
            t.acknowledge(conn, "2025-031", f"{ACTES_ID}-1-1", "2025-03-06", TODAY)
        delib = {r["number"]: r for r in store.records() if r["type"] == "deliberation"}
        out = io.StringIO()
        jobs.export(store, "scdl", out, CONFIG)
    fields = ("sent_to_prefecture", "received_by_prefecture", "ack", "published")
    assert [delib["2025-031"][f] for f in fields] == ["2025-03-05", "2025-03-06", f"{ACTES_ID}-1-1", None]
    assert [delib["2025-032"][f] for f in fields] == [None, None, None, None]
    scdl = {r["DELIB_ID"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (scdl["2025-031"]["PREF_ID"], scdl["2025-031"]["PREF_DATE"]) == ("PREF062", "2025-03-06")
    assert (scdl["2025-032"]["PREF_ID"], scdl["2025-032"]["PREF_DATE"]) == ("", "")
    with TestClient(create_app(db)) as client:
        page = client.get("/deliberations/2025-031").text
        assert f"<dt>Accusé de réception</dt><dd><code>{ACTES_ID}-1-1</code></dd>" in page
        assert "<dt>Réception en préfecture</dt><dd>6 mars 2025</dd>" in page
        assert client.get("/deliberations/2025-031.json").json()["sent_to_prefecture"] == "2025-03-05"
