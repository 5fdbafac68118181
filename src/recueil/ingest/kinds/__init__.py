"""The kinds of publication recueil reads, in one registry: each kind says how sure it is that a
text is one of its own, gives the document's title and cuts it into blocks, and may read a kind of
block with an extractor of its own (else the shared one of `EXTRACTORS`).

A new kind (a municipal council's minutes, an intercommunality's recueil) is a module of this
package that builds a `Kind` and calls `register` below; the pipeline only ever asks the registry.
"""

# The Département's two kinds, then the minutes of the other collectivités (less sure of a text:
# they recognise it by its content), registered once, when the package is first imported.
from recueil.ingest.kinds import minutes, recueil, sitting_record
from recueil.ingest.kinds.registry import KINDS, Kind, detect, register, title_of, unregister

__all__ = ["KINDS", "Kind", "detect", "minutes", "recueil", "register", "sitting_record", "title_of", "unregister"]
