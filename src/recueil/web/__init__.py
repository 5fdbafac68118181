"""The public, read-only web site and JSON API over a store (issue 3)."""

from recueil.web.app import create_app

__all__ = ["create_app"]
