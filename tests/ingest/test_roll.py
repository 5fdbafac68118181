"""The roll call of minutes, each printed form on a short snippet of our own."""

from __future__ import annotations

from recueil.ingest.roll import read_movements, read_roll
from recueil.model import Movement, Proxy


def _roll(text: str):  # type: ignore[no-untyped-def]
    lines = text.split("\n")
    return read_roll(lines, len(lines))


def test_lists_under_labels_with_counts_and_substitutes() -> None:
    roll = _roll("Etaient présents :\nTitulaires :\nMme Anne DUPONT, M. Paul MARTIN,\nM. Luc PETIT (3)\n"
                 "Suppléants : M. Jean ROUX\n\nAbsent(s) et absent(s) excusé(s) :\nM. Yves BLANC (1)\n\nAbsents : -")
    assert roll.present == ["Anne DUPONT", "Paul MARTIN", "Luc PETIT", "Jean ROUX"]
    assert (roll.excused, roll.absent) == ([], ["Yves BLANC"])


def test_every_form_of_proxy() -> None:
    roll = _roll("Présents : Mme A DURAND, M. B LEROY\n\n"
                 "Pouvoir :\n-     Monsieur Philippe TOLEDANO à Madame Karine DUTEIL\n\n"
                 "Absent(s) ayant donné procuration à :\nM. Renaud BOURGEOIS donne procuration à Mme Peggy LEWANDOWSKI,\n"
                 "Mme Anne BROCVIELLE donne procuration à Mme Anne-Marie DEFRANCE, (2)")
    assert roll.proxies == [Proxy("Philippe TOLEDANO", "Karine DUTEIL"), Proxy("Renaud BOURGEOIS", "Peggy LEWANDOWSKI"),
                            Proxy("Anne BROCVIELLE", "Anne-Marie DEFRANCE")]


def test_proxies_in_brackets_and_holders_not_named() -> None:
    roll = _roll("Excusés : Anne-Marie (pouvoir donné à Yves) / Marc (pouvoir donné Patrick)\n\nMaryline : absente non excusée\n\n"
                 "Absents ayant voté par procuration en application de l'article L 2121-20 du Code Général des\n"
                 "Collectivités Territoriales :\nStéphanie JANNIN, Bernard TRAVIER.")
    assert roll.excused == ["Anne-Marie", "Marc"]
    assert roll.absent == ["Maryline"]
    assert roll.proxies == [Proxy("Anne-Marie", "Yves"), Proxy("Marc", "Patrick"), Proxy("Stéphanie JANNIN", None),
                            Proxy("Bernard TRAVIER", None)]


def test_officers_and_times() -> None:
    roll = _roll("L’an deux mille vingt-quatre, le 10 décembre à 19h00, le Conseil Municipal s’est réuni sous la "
                 "présidence de Madame Florence DEMOUY, maire.\nSecrétaire : Madame Karine DUTEIL\n"
                 "La séance est levée à 20h55.")
    assert (roll.president, roll.secretary, roll.opened_at, roll.closed_at) == (
        "Florence DEMOUY", "Karine DUTEIL", "19:00", "20:55")


def test_arrivals_and_departures_during_the_sitting() -> None:
    lines = ["M. Paul DURAND, arrivé à 19 h 10, prend part au vote", "3- Budget", "Mme Anne ROUX présente à partir du point 5",
             "Monsieur LEROY quitte la séance."]
    assert read_movements(lines, [(2, 3)]) == [
        Movement("Paul DURAND", "arrivee", None, "19:10", 1), Movement("Anne ROUX", "arrivee", 5, None, 3),
        Movement("LEROY", "depart", 3, None, 4)]


def test_a_list_one_name_a_line() -> None:
    roll = _roll("Présents :\nM. Jean DUPONT\nMme Anne MARTIN\nM. Luc PETIT\n\nExcusée : Mme Eve ROUX")
    assert (roll.present, roll.excused) == (["Jean DUPONT", "Anne MARTIN", "Luc PETIT"], ["Eve ROUX"])
