"""Small assemblies to hold sittings in: names and groups made up, rules those of the CGCT."""

from __future__ import annotations

from recueil.seance.members import Membership, Roster

GROUPS = ("Groupe Socialiste, Républicain et Citoyen", "Groupe Rassemblement National", "Non-inscrits")
GIVEN = ("Anne", "Bruno", "Claire", "Denis", "Emma", "Fabien", "Gaëlle", "Hugo", "Inès", "Jules", "Karine", "Louis")
SURNAMES = ("ARNOULT", "BERTIN", "CARON", "DELATTRE", "EVRARD", "FAUQUEMBERGUE", "GODIN", "HOCHART", "IDZIAK",
            "JOLY", "KRAWCZYK", "LEFEBVRE")


def names(count: int) -> list[str]:
    return [f"{GIVEN[i % len(GIVEN)]} {SURNAMES[i % len(SURNAMES)]}{'' if i < len(GIVEN) else i}" for i in range(count)]


def roster(count: int = 9, body: str = "conseil_departemental", day: str = "2025-09-22",
           non_voting: int = 0) -> Roster:
    """`count` members in office, spread over GROUPS in turn (the first in the first group), then
    `non_voting` members without a vote."""
    listed = names(count + non_voting)
    members = tuple(Membership(name, "Mme" if i % 2 == 0 else "M.", body, GROUPS[i % len(GROUPS)], voting=i < count)
                    for i, name in enumerate(listed))
    return Roster(body, day, members)
