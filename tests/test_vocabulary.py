"""A new assembly is one registration in vocabulary.py: séance ids, search filters, labels of
the pages and headings of the published acts all follow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from recueil.model import sitting_id
from recueil.publish.compile import _of_body
from recueil.store.facets import check_filters, of_sitting
from recueil.store.query import QueryError
from recueil.text.dates import date_fr
from recueil.vocabulary import Assembly, assembly, assembly_heading, register_assembly, unregister_assembly
from recueil.web.format import FILTERS, facet_value


@pytest.fixture
def conseil_de_quartier() -> Iterator[Assembly]:
    registered = register_assembly(Assembly("conseil_de_quartier", "cq", "Conseil de quartier", "Conseil de quartier"))
    yield registered
    unregister_assembly("conseil_de_quartier")


def test_a_registered_assembly_names_its_sittings_filters_and_pages(conseil_de_quartier: Assembly) -> None:
    assert sitting_id("conseil_de_quartier", "2026-01-15") == "cq-2026-01-15"
    assert of_sitting("conseil_de_quartier", "2026-01-15") == {"body": {"cq": "cq"}, "sitting": {"cq_2026_01_15": "cq-2026-01-15"}}
    assert check_filters({"body": "Conseil de quartier", "sitting": "cq-2026-01-15"}) == {"body": "cq", "sitting": "cq_2026_01_15"}
    assert facet_value("cq", "body") == "Conseil de quartier"
    assert FILTERS["body"]("conseil_de_quartier") == "Conseil de quartier"
    assert assembly_heading("conseil_de_quartier") == "Conseil de quartier"
    assert _of_body("conseil_de_quartier") == "du conseil de quartier"


def test_an_unknown_assembly_is_refused_by_the_filters_until_registered() -> None:
    with pytest.raises(QueryError, match=r"organe invalide : cq \(attendu : cd ou cp ou cm ou cc ou bu ou cr ou cs\)"):
        check_filters({"body": "cq"})
    with pytest.raises(QueryError, match="séance invalide"):
        check_filters({"sitting": "cq-2026-01-15"})
    assert sitting_id("conseil_de_quartier", "2026-01-15") == "conseil_de_quartier-2026-01-15"


def test_names_of_an_assembly_are_unique() -> None:
    with pytest.raises(ValueError, match="organe déjà enregistré"):
        register_assembly(Assembly("conseil_departemental_bis", "cd", "Autre", "Autre"))


def test_the_assemblies_of_other_collectivites_are_registered() -> None:
    assert sitting_id("conseil_municipal", "2014-04-24") == "cm-2014-04-24"
    assert assembly("Conseil Communautaire") is assembly("cc")
    assert assembly_heading("comite_syndical") == "Comité syndical"


def test_the_departement_assemblies_read_as_printed() -> None:
    assert assembly("COMMISSION PERMANENTE") is assembly("cp") is assembly("commission_permanente")
    assert _of_body("commission_permanente") == "de la commission permanente du Conseil départemental"
    assert _of_body("conseil_departemental") == "du conseil départemental"
    assert Assembly("assemblee", "ag", "Assemblée", "Assemblée générale", feminine=True).of() == "de l'assemblée générale"


@pytest.mark.parametrize(("value", "printed"), [("2021-07-01", "1er juillet 2021"), ("2025-09-22", "22 septembre 2025"),
                                                (None, ""), ("2025-02-31", "2025-02-31")])
def test_french_dates_are_written_once(value: str | None, printed: str) -> None:
    assert date_fr(value) == printed
