"""What every command of the command line shares: click's own words in French (usage, help, errors),
tags in words for the values of options, and the options that many commands take.

Click asks gettext for every message it prints, through the `_` and `ngettext` names each of its
modules imports from gettext. gettext would pick a catalogue by the machine's locale
(LANGUAGE, LANG…), which is "C" on most servers; recueil speaks French whatever the locale, so those
names are pointed at the catalogue below instead. A message missing from it stays in English, and
`tests/test_cli_french.py` lists click's messages to catch one that a new version adds.
"""

from __future__ import annotations

from pathlib import Path

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

MESSAGES = {
    # help (click writes a section's heading followed by ":", French puts a space before it)
    "Usage:": "Utilisation :",
    "Options": "Options ",
    "Arguments": "Arguments ",
    "Positional arguments": "Arguments ",
    "Commands": "Commandes ",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "required": "obligatoire",
    "(dynamic)": "(calculé)",
    "deprecated": "obsolète",
    "Choose from:\n\t{choices}": "Au choix :\n\t{choices}",
    # errors
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Aide : {command} {option}",
    "Aborted!": "Interrompu.",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue : {name}.",
    "No such option {name!r}.": "Option inconnue : {name}.",
    "Missing argument": "Argument manquant :",
    "Missing option": "Option manquante :",
    "Missing parameter": "Paramètre manquant :",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "unknown error": "erreur inconnue",
    "Option {name!r} does not take a value.": "L'option {name} ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name} prend {nargs} valeurs.",
    "Invalid start character for option ({option})": "Caractère initial invalide pour une option ({option})",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir {filename} : {message}",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre.",
    "{value} is not in the range {range}.": "{value} est hors des limites {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "« {value} » n'est ni oui ni non (valeurs reconnues : {states})",
    "{value!r} is not a valid UUID.": "« {value} » n'est pas un UUID.",
    "file": "le fichier",
    "directory": "le dossier",
    "path": "le chemin",
    "{name} {filename!r} does not exist.": "{name} {filename} n'existe pas.",
    "{name} {filename!r} is a file.": "{name} {filename} est un fichier.",
    "{name} {filename!r} is a directory.": "{name} {filename} est un dossier.",
    "{name} {filename!r} is not readable.": "{name} {filename} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename} n'est pas modifiable.",
    "{name} {filename!r} is not executable.": "{name} {filename} n'est pas exécutable.",
    "Choice({choices})": "Choix({choices})",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Avertissement : la commande {name} est obsolète.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Avertissement : {param_type} {name} est obsolète.{extra_message}",
    # errors in the declaration of a command (for the programmer)
    "Arguments take exactly one parameter declaration, got {length}: {decls}.":
        "Un argument se déclare par un seul nom, pas {length} : {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.":
        "L'option booléenne {decl} ne peut pas servir à la fois pour oui et pour non.",
    "Could not determine name for option with declarations {decls!r}":
        "Nom introuvable pour l'option déclarée par {decls}",
    "Name '{name}' defined twice": "Nom « {name} » déclaré deux fois",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?":
        "Un nom sans option ({name}) : un argument, ou l'option « --{name} » ?",
    "Unknown color {colour!r}": "Couleur inconnue : {colour}",
    "Unknown standard stream '{name}'": "Flux standard inconnu : {name}",
    # prompts
    "Do you want to continue?": "Continuer ?",
    "Confirm the action without prompting.": "Confirmer sans poser la question.",
    "Repeat for confirmation": "Répéter pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyer sur une touche pour continuer…",
}

PLURALS = {  # click's singular → French (singular, plural)
    "Got unexpected extra argument ({args})":
        ("Argument en trop : {args}", "Arguments en trop : {args}"),
    "Option {name!r} requires an argument.":
        ("L'option {name} demande une valeur.", "L'option {name} demande {nargs} valeurs."),
    "Takes {nargs} values but 1 was given.":
        ("{nargs} valeurs attendues, 1 donnée.", "{nargs} valeurs attendues, {len} données."),
    "Did you mean {possibility}?":
        ("Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire l'une de : {possibilities} ?)"),
    "{value!r} is not {choice}.":
        ("« {value} » n'est pas {choice}.", "« {value} » n'est pas l'une des valeurs {choices}."),
    "{value!r} does not match the format {format}.":
        ("« {value} » ne suit pas le format {format}.", "« {value} » ne suit aucun des formats {formats}."),
    "{len_type} values are required, but {len_value} was given.":
        ("{len_type} valeurs attendues, {len_value} donnée.", "{len_type} valeurs attendues, {len_value} données."),
}

TAGS = {click.INT: "NOMBRE", click.FLOAT: "NOMBRE", click.STRING: "TEXTE"}  # what an option's value is

_MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
            click.types, click.utils)

db_option = click.option("--db", metavar="URL",
                         help="Base de données (URL SQLAlchemy ; défaut sqlite:///recueil.db, ou RECUEIL_DB).")
config_option = click.option("--config", "config_file", type=click.Path(path_type=Path), metavar="FICHIER",
                             help="Configuration de la collectivité (défaut : RECUEIL_CONFIG ou ./recueil.toml).")
dir_option = click.option("--dir", "folder", type=click.Path(path_type=Path), default=Path("publications"),
                          envvar="RECUEIL_PUBLICATIONS", show_envvar=False, metavar="DOSSIER",
                          help="Dossier des publications et de leur registre (registre.jsonl ; "
                               "défaut : RECUEIL_PUBLICATIONS ou ./publications).")


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    french = PLURALS.get(singular)
    if french is None:
        return singular if count == 1 else plural
    return french[0] if count == 1 else french[1]


def install() -> None:
    """Point click's gettext names at the French catalogue (for this process)."""
    for module in _MODULES:
        names = vars(module)
        if "_" in names:
            names["_"] = gettext
        if "ngettext" in names:
            names["ngettext"] = ngettext


def prepare(command: click.Command) -> None:
    """Finish `command` and its subcommands for French readers: a tag in words for each option's value
    (NOMBRE, TEXTE, CHEMIN) where click would print its type, and lists of commands that show the
    first paragraph of each one's help whole, where click would cut it."""
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
            param.metavar = "CHEMIN" if isinstance(param.type, click.Path) else TAGS.get(param.type)
    if isinstance(command, click.Group):
        command.subcommand_metavar = "COMMANDE [ARGUMENTS]..."
        for sub in command.commands.values():
            sub.short_help = " ".join((sub.help or "").split("\n\n")[0].split())
            prepare(sub)
