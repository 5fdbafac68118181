"""The collectivité's settings, from `recueil.toml`: who publishes, under which préfecture, where.

The documents do not always say who published them (a séance record prints no SIRET), yet open
data must, so these few values live in one small file. Without it the defaults below apply: the
Département du Pas-de-Calais, as its own publications print it.

    [collectivite]
    nom = "Département du Pas-de-Calais"
    siret = "22620001200012"
    prefecture = "PREF062"
    site = "https://www.pasdecalais.fr"

    [publication]
    masquer_personnes = true

A transmission to the préfecture (`recueil acte transmettre`) takes the SIREN (the SIRET's first
nine digits) and the département (of `prefecture`) from this file only: an act sent under the
defaults would go to another collectivité's file, so their absence is refused.

`masquer_personnes` (on by default): the public site and the published files show the names of
private persons (applicants, residents who wrote to a consultation) as "[personne privée]"; see
`recueil.publish.masking`. Set it to false only for an internal copy.

E-mail alerts on a saved search (`recueil.alerts`) are offered only when an [alertes] section
says how to send mail and where the site is (its links point there):

    [alertes]
    serveur = "smtp.example.org"
    port = 587                       # défaut : 587 (starttls), 465 (ssl), 25 (aucun)
    chiffrement = "starttls"         # starttls, ssl ou aucun
    utilisateur = "alertes"          # facultatifs, ensemble
    mot_de_passe = "…"
    expediteur = "Recueil des actes <alertes@example.org>"
    site = "https://actes.example.org"
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path

DEFAULT_PATH = Path("recueil.toml")
ENV = "RECUEIL_CONFIG"
SIRET = re.compile(r"^\d{14}$")
# The SCDL PREF_ID: a préfecture, a sous-préfecture (with its arrondissement) or a SGAR.
PREFECTURE = re.compile(r"^(PREF\d{2}[0-9AB]|SPREF\d{2}[0-9AB]\d|SGAR\d{2}[0-9AB])$")


class ConfigError(ValueError):
    """The configuration file cannot be used; the message (in French) says which value and why."""


@dataclass(frozen=True)
class Collectivite:
    """Defaults as printed by the Pas-de-Calais: the SIRET in the RAA of June 2021 ("226 200 012
    00012"), the site in its notice of availability; PREF062 is the préfecture of département 62."""

    nom: str = "Département du Pas-de-Calais"
    siret: str = "22620001200012"
    prefecture: str = "PREF062"
    site: str = "https://www.pasdecalais.fr"

    def act_url(self, number: str) -> str:
        """The address of a deliberation on the collectivité's site."""
        return f"{self.site.rstrip('/')}/deliberations/{number}"


@dataclass(frozen=True)
class PublicationSettings:
    """The [publication] section: how acts are shown to the public."""

    masquer_personnes: bool = True


SECURITIES = {"starttls": 587, "ssl": 465, "aucun": 25}  # [alertes] chiffrement → its default port


@dataclass(frozen=True)
class AlertSettings:
    """The [alertes] section: the SMTP server the alerts are sent through, and the site's address."""

    serveur: str
    expediteur: str
    site: str
    port: int = 587
    chiffrement: str = "starttls"
    utilisateur: str | None = None
    mot_de_passe: str | None = None

    def url(self, path: str) -> str:
        """A page of the site as a mail links to it."""
        return self.site.rstrip("/") + path


@dataclass(frozen=True)
class Config:
    """`named`: the keys of [collectivite] the file gives (a transmission to the préfecture takes
    the SIREN and the département from the file only, never from the defaults)."""

    collectivite: Collectivite = Collectivite()
    publication: PublicationSettings = PublicationSettings()
    named: frozenset[str] = frozenset()
    alertes: AlertSettings | None = None  # no section: no alerts offered

    def alert_settings(self) -> AlertSettings:
        """The [alertes] section, or why alerts cannot be sent."""
        if self.alertes is None:
            raise ConfigError("alertes par courriel non configurées : ajoutez une section [alertes] à recueil.toml "
                              "(serveur, expediteur, site)")
        return self.alertes


def load(path: Path | None = None) -> Config:
    """`path`, else `RECUEIL_CONFIG`, else `./recueil.toml`; the defaults when no file is named or found."""
    import tomllib  # here, not at the top: most commands read no configuration

    named = path or (Path(os.environ[ENV]) if os.environ.get(ENV) else None)
    target = named or DEFAULT_PATH
    if not target.exists():
        if named:
            raise ConfigError(f"{target} : fichier de configuration introuvable")
        return Config()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"line (\d+), column (\d+)", str(error))
        at = f" ligne {where[1]}, colonne {where[2]}" if where else ""
        raise ConfigError(f"{target} : syntaxe TOML invalide{at}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{target} : ce n'est pas un texte UTF-8") from error
    except OSError as error:
        raise ConfigError(f"{target} : lecture impossible ({error.strerror})") from error
    unknown = set(data) - {"collectivite", "publication", "alertes"}
    if unknown:
        raise ConfigError(f"{target} : section inconnue [{sorted(unknown)[0]}] "
                          "(sections : [collectivite], [publication], [alertes])")
    for name in ("collectivite", "publication", "alertes"):
        if not isinstance(data.get(name, {}), dict):
            raise ConfigError(f"{target} : {name} doit être une section [{name}]")
    return Config(_collectivite(target, data.get("collectivite", {})), _publication(target, data.get("publication", {})),
                  frozenset(data.get("collectivite", {})),
                  _alertes(target, data["alertes"]) if "alertes" in data else None)


def _alertes(target: Path, values: dict[str, object]) -> AlertSettings:
    known = {f.name for f in fields(AlertSettings)}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{target} : clé inconnue « {key} » dans [alertes] (clés : {', '.join(sorted(known))})")
        if key == "port":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 65536:
                raise ConfigError(f"{target} : « port » doit être un nombre entier de 1 à 65535")
        elif not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{target} : « {key} » doit être un texte non vide dans [alertes]")
    for key in ("serveur", "expediteur", "site"):
        if key not in values:
            raise ConfigError(f"{target} : « {key} » manquant dans [alertes] (serveur SMTP, adresse d'expédition "
                              "et adresse du site sont nécessaires pour envoyer les alertes)")
    settings: dict[str, object] = {k: v.strip() if isinstance(v, str) and k != "mot_de_passe" else v
                                   for k, v in values.items()}
    security = settings.setdefault("chiffrement", "starttls")
    if security not in SECURITIES:
        raise ConfigError(f"{target} : chiffrement « {security} » invalide (starttls, ssl ou aucun)")
    settings.setdefault("port", SECURITIES[str(security)])
    if ("utilisateur" in settings) != ("mot_de_passe" in settings):
        raise ConfigError(f"{target} : « utilisateur » et « mot_de_passe » vont ensemble dans [alertes]")
    if not re.match(r"^https?://[^\s/]+", str(settings["site"])):
        raise ConfigError(f"{target} : site « {settings['site']} » invalide dans [alertes] (adresse http:// ou https://)")
    if not re.search(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+", str(settings["expediteur"])) or "\n" in str(settings["expediteur"]):
        raise ConfigError(f"{target} : expediteur « {settings['expediteur']} » invalide (une adresse de courriel, "
                          "ex. Recueil <alertes@example.org>)")
    return AlertSettings(**settings)  # type: ignore[arg-type]


def _publication(target: Path, values: dict[str, object]) -> PublicationSettings:
    known = {f.name for f in fields(PublicationSettings)}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{target} : clé inconnue « {key} » dans [publication] (clés : {', '.join(sorted(known))})")
        if not isinstance(value, bool):
            raise ConfigError(f"{target} : « {key} » doit valoir true ou false")
    return PublicationSettings(**values)  # type: ignore[arg-type]


def _collectivite(target: Path, values: dict[str, object]) -> Collectivite:
    known = {f.name for f in fields(Collectivite)}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{target} : clé inconnue « {key} » dans [collectivite] (clés : {', '.join(sorted(known))})")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{target} : « {key} » doit être un texte non vide")
    settings = {key: str(value).strip() for key, value in values.items()}
    if "siret" in settings:
        settings["siret"] = settings["siret"].replace(" ", "")
        if not SIRET.match(settings["siret"]):
            raise ConfigError(f"{target} : siret « {values['siret']} » invalide (14 chiffres)")
    if "prefecture" in settings and not PREFECTURE.match(settings["prefecture"]):
        raise ConfigError(f"{target} : prefecture « {settings['prefecture']} » invalide (ex. PREF062, SPREF0621)")
    if "site" in settings and not re.match(r"^https?://[^\s/]+", settings["site"]):
        raise ConfigError(f"{target} : site « {settings['site']} » invalide (adresse http:// ou https://)")
    return Collectivite(**settings)
