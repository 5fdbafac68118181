"""recueil: the acts of a French Département, from their publications to structured records."""

__version__ = "0.1.0"
