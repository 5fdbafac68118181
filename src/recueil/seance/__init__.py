"""The write side: members and groups, sittings recorded step by step under the rules of the CGCT,
the vote ledger, the series of deliberation numbers, and the import of a séance file.

Nothing is imported here, so that the command line can register `recueil seance` and
`recueil membres` without loading the store.
"""
