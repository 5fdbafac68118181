"""Speaking turns of verbatim minutes ("Name : text"), on a snippet written for the test."""

from __future__ import annotations

from recueil.ingest.turns import read_turns

LINES = [
    "Monsieur le Maire : Je déclare la séance ouverte.",       # 1
    "Nous avons quorum.",                                      # 2
    "",                                                        # 3
    "1- Budget primitif",                                      # 4
    "Anne-Marie DE LA TOUR : Je voterai contre ce budget,",    # 5
    "qui augmente les impôts.",                                # 6
    "Applaudissements dans la salle.",                         # 7
    "Monsieur le Maire: Je mets aux voix.",                    # 8
    "Pour : 12",                                               # 9
    "Contre : 1",                                              # 10
    "M. Paul DURAND relève que le budget est en hausse.",      # 11
    "Rapporteur : Sylvain GOUPIL",                             # 12
]


def test_turns_follow_their_markers_and_stop_at_votes_and_directions() -> None:
    turns = read_turns(LINES, "cm-2024-03-12", [(4, 1)], "Jean DUPONT")
    assert [(t.seq, t.speaker, t.speaker_name, t.agenda_item, t.text, t.first_line, t.last_line) for t in turns] == [
        (1, "Monsieur le Maire", "Jean DUPONT", None, "Je déclare la séance ouverte. Nous avons quorum.", 1, 2),
        (2, "Anne-Marie DE LA TOUR", "Anne-Marie DE LA TOUR", 1, "Je voterai contre ce budget, qui augmente les impôts.", 5, 6),
        (3, "Monsieur le Maire", "Jean DUPONT", 1, "Je mets aux voix.", 8, 8),
    ]
