"""Vote blocks in every variant the documents print."""

from recueil.ingest.vote import read_vote, vote_region

WRAPPED_2021 = """Pour  :  40 voix  (Groupe  Socialiste,  Républicain  et  Citoyen ;  Groupe  Communiste  et
Républicain ;  Groupe Démocrates)
Contre : 0 voix
Abstention : 1 voix (Groupe Socialiste, Républicain et Citoyen)
Absents sans délégation de vote :  2 (Groupe Socialiste, Républicain et Citoyen ;  Non-
inscrit)

(Adopté)"""

ONE_LINE_2025 = (
    "<p>Pour : 76 voix (Groupe Socialiste, Républicain et Citoyen ; Non-inscrits) Contre : 0 voix "
    "Abstention : 0 voix Absentes sans délégation de vote : 2 (Groupe Rassemblement National)</p>\n--\n\n(Adopté)"
)

DETAILED = """Nombre de Conseillers départementaux en exercice : 78
 Nombre de Conseillers départementaux présents au moment du vote : 71
 Nombre de délégations de vote : 7
 Absent sans délégation de vote : 0
 Nombre de suffrages exprimés : 54
 Nombre d'abstentions : 24 voix (Groupe Union pour le Pas-de-Calais ; Groupe Rassemblement National)
 Pour : 54 voix (Groupe Socialiste, Républicain et Citoyen ; Groupe Union pour le Pas-de-Calais (M. Bruno COUSEIN et Mme Nicole CHEVALIER) ; Non-inscrits)
 Contre : 0 voix

(Adopté)"""


def test_wrapped_lines_and_hyphenated_group():
    vote = read_vote(WRAPPED_2021)
    assert (vote.pour, vote.contre, vote.abstention, vote.absent_sans_delegation) == (40, 0, 1, 2)
    assert vote.groups["pour"] == [
        "Groupe Socialiste, Républicain et Citoyen", "Groupe Communiste et Républicain", "Groupe Démocrates"]
    assert vote.groups["absent_sans_delegation"] == ["Groupe Socialiste, Républicain et Citoyen", "Non-inscrit"]
    assert vote.groups["contre"] == []
    assert vote.result == "adopte"


def test_all_counts_on_one_line_with_markup():
    vote = read_vote(ONE_LINE_2025)
    assert (vote.pour, vote.contre, vote.abstention, vote.absent_sans_delegation) == (76, 0, 0, 2)
    assert vote.groups["absent_sans_delegation"] == ["Groupe Rassemblement National"]
    assert vote.groups["pour"] == ["Groupe Socialiste, Républicain et Citoyen", "Non-inscrits"]


def test_detailed_budget_vote_with_members_of_a_split_group():
    vote = read_vote(DETAILED)
    assert (vote.en_exercice, vote.presents, vote.delegations) == (78, 71, 7)
    assert (vote.pour, vote.abstention, vote.contre, vote.absent_sans_delegation) == (54, 24, 0, 0)
    assert vote.groups["abstention"] == ["Groupe Union pour le Pas-de-Calais", "Groupe Rassemblement National"]
    assert "Groupe Union pour le Pas-de-Calais" in vote.groups["pour"]
    assert vote.members["pour"]["Groupe Union pour le Pas-de-Calais"] == ["Bruno COUSEIN", "Nicole CHEVALIER"]


def test_not_taking_part_and_rejection():
    vote = read_vote("Pour : 10 voix\nContre : 30 voix (Groupe A)\nNe prend pas part au vote : 1 (Groupe B)\n(Rejeté)")
    assert vote.ne_prend_pas_part == 1
    assert vote.groups["ne_prend_pas_part"] == ["Groupe B"]
    assert vote.result == "rejete"


def test_no_counts_is_no_vote():
    assert read_vote("Après en avoir délibéré,") is None


def test_vote_region_spans_to_the_result():
    lines = ["Article 2 :", "texte", "Dans les conditions de vote ci-dessous :", "", "Pour : 3 voix", "(Adopté)", "x"]
    assert vote_region(lines, 1, len(lines)) == (3, 6)
