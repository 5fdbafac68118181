"""The collectivité's configuration: defaults without a file, overrides from one, one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recueil.config import AlertSettings, Collectivite, ConfigError, PublicationSettings, load


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RECUEIL_CONFIG", raising=False)
    return tmp_path


def test_defaults_without_a_file():
    assert load().collectivite == Collectivite()
    assert Collectivite().siret == "22620001200012" and Collectivite().prefecture == "PREF062"


def test_the_file_here_then_the_environment_then_the_option(elsewhere, monkeypatch):
    (elsewhere / "recueil.toml").write_text('[collectivite]\nnom = "Ici"\n', encoding="utf-8")
    assert load().collectivite.nom == "Ici"
    assert load().collectivite.siret == "22620001200012"  # what the file does not set keeps its default
    other = elsewhere / "autre.toml"
    other.write_text('[collectivite]\nnom = "Variable"\n', encoding="utf-8")
    monkeypatch.setenv("RECUEIL_CONFIG", str(other))
    assert load().collectivite.nom == "Variable"
    option = elsewhere / "option.toml"
    option.write_text('[collectivite]\nnom = "Option"\n', encoding="utf-8")
    assert load(option).collectivite.nom == "Option"


def test_the_keys_the_file_names_are_known():
    """A transmission to the préfecture needs the SIRET and the préfecture from the file itself."""
    assert load().named == frozenset()
    Path("recueil.toml").write_text('[collectivite]\nnom = "Ici"\nsiret = "226 200 012 00012"\n', encoding="utf-8")
    assert load().named == frozenset({"nom", "siret"})


def test_the_act_address_joins_the_site_and_the_number():
    assert Collectivite(site="https://actes.example.org/").act_url("2025-361") == \
        "https://actes.example.org/deliberations/2025-361"


@pytest.mark.parametrize("content, message", [
    ('[collectivite]\nsiret = "123"\n', "siret « 123 » invalide"),
    ('[collectivite]\nprefecture = "062"\n', "prefecture « 062 » invalide"),
    ('[collectivite]\nsite = "www.pasdecalais.fr"\n', "site « www.pasdecalais.fr » invalide"),
    ('[collectivite]\nsirte = "22620001200012"\n', "clé inconnue « sirte »"),
    ('[collectivite]\nnom = ""\n', "« nom » doit être un texte non vide"),
    ('[autre]\nnom = "x"\n', "section inconnue [autre]"),
    ('collectivite = "x"\n', "doit être une section"),
    ("[collectivite\n", "syntaxe TOML invalide ligne 1, colonne 14"),
])
def test_bad_values_are_named(elsewhere, content, message):
    path = elsewhere / "recueil.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as error:
        load(path)
    assert "\n" not in str(error.value)


def test_a_named_file_that_is_missing_is_an_error(elsewhere):
    with pytest.raises(ConfigError, match="introuvable"):
        load(elsewhere / "absent.toml")


def test_private_persons_are_masked_unless_the_file_says_otherwise(elsewhere):
    assert load().publication.masquer_personnes is True
    path = elsewhere / "recueil.toml"
    path.write_text("[publication]\nmasquer_personnes = false\n", encoding="utf-8")
    assert load(path).publication == PublicationSettings(masquer_personnes=False)
    assert load(path).collectivite == Collectivite()


@pytest.mark.parametrize("content, message", [
    ('[publication]\nmasquer_personnes = "oui"\n', "« masquer_personnes » doit valoir true ou false"),
    ("[publication]\nmasquer = true\n", "clé inconnue « masquer » dans [publication]"),
    ('publication = "x"\n', "publication doit être une section [publication]"),
])
def test_bad_publication_values_are_named(elsewhere, content, message):
    path = elsewhere / "recueil.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as error:
        load(path)
    assert "\n" not in str(error.value)


def test_alerts_are_off_without_their_section_and_say_so(elsewhere):
    assert load().alertes is None
    with pytest.raises(ConfigError, match=re.escape("alertes par courriel non configurées : ajoutez une section "
                                                    "[alertes] à recueil.toml (serveur, expediteur, site)")):
        load().alert_settings()


def test_alert_settings_and_their_defaults(elsewhere):
    path = elsewhere / "recueil.toml"
    path.write_text('[alertes]\nserveur = "smtp.example.org"\nexpediteur = "Recueil <alertes@example.org>"\n'
                    'site = "https://actes.example.org/"\n', encoding="utf-8")
    settings = load(path).alert_settings()
    assert settings == AlertSettings(serveur="smtp.example.org", expediteur="Recueil <alertes@example.org>",
                                     site="https://actes.example.org/", port=587, chiffrement="starttls")
    assert settings.url("/recherche?q=x") == "https://actes.example.org/recherche?q=x"
    path.write_text('[alertes]\nserveur = "smtp.example.org"\nexpediteur = "alertes@example.org"\n'
                    'site = "https://actes.example.org"\nchiffrement = "ssl"\nutilisateur = "moi"\n'
                    'mot_de_passe = " secret "\n', encoding="utf-8")
    settings = load(path).alert_settings()
    assert (settings.port, settings.chiffrement, settings.utilisateur, settings.mot_de_passe) == (465, "ssl", "moi",
                                                                                                 " secret ")


REQUIRED = 'serveur = "smtp.example.org"\nexpediteur = "alertes@example.org"\nsite = "https://actes.example.org"\n'


@pytest.mark.parametrize("content, message", [
    ('[alertes]\nserveur = "smtp.example.org"\nsite = "https://a.org"\n', "« expediteur » manquant dans [alertes]"),
    ('[alertes]\nexpediteur = "a@b.org"\nsite = "https://a.org"\n', "« serveur » manquant dans [alertes]"),
    ('[alertes]\nserveur = "s"\nexpediteur = "a@b.org"\n', "« site » manquant dans [alertes]"),
    (f"[alertes]\n{REQUIRED}port = 0\n", "« port » doit être un nombre entier de 1 à 65535"),
    (f'[alertes]\n{REQUIRED}port = "587"\n', "« port » doit être un nombre entier de 1 à 65535"),
    (f'[alertes]\n{REQUIRED}chiffrement = "tls"\n', "chiffrement « tls » invalide (starttls, ssl ou aucun)"),
    (f'[alertes]\n{REQUIRED}utilisateur = "moi"\n', "« utilisateur » et « mot_de_passe » vont ensemble"),
    (f'[alertes]\n{REQUIRED}hote = "x"\n', "clé inconnue « hote » dans [alertes]"),
    ('[alertes]\nserveur = "s"\nexpediteur = "personne"\nsite = "https://a.org"\n', "expediteur « personne » invalide"),
    ('[alertes]\nserveur = "s"\nexpediteur = "a@b.org"\nsite = "actes.example.org"\n',
     "site « actes.example.org » invalide dans [alertes]"),
    ('[alertes]\nserveur = ""\nexpediteur = "a@b.org"\nsite = "https://a.org"\n',
     "« serveur » doit être un texte non vide dans [alertes]"),
    ('alertes = "x"\n', "alertes doit être une section [alertes]"),
])
def test_bad_alert_settings_are_named(elsewhere, content, message):
    path = elsewhere / "recueil.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as error:
        load(path)
    assert "\n" not in str(error.value)
