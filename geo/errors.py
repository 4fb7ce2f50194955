"""One error tree for Wijkatlas.

Every error a user can cause derives from :class:`WijkatlasError` and carries
a message fit to show that user: it says what is wrong and where (file, row,
field), in the language the error was raised for. Pages show ``str(err)``;
the command line prints ``error: <message>`` and exits with code 2.
"""

from __future__ import annotations


class WijkatlasError(Exception):
    """Base of every error that Wijkatlas reports to a person."""

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class ConfigError(WijkatlasError):
    """The configuration (database URL, policy file, secrets) is unusable."""


class StoreError(WijkatlasError):
    """The database cannot be opened, migrated or written."""


class StoreUnavailable(StoreError):
    """The database cannot be reached now (server down, network, pool exhausted).

    Nothing was written; the same action can be tried again later.
    ``location`` says which server (host:port/database, never credentials).
    """

    location: str = ""


class Conflict(StoreError):
    """Someone else saved the same record since it was read (optimistic locking)."""

    def __init__(self, message: str, *, where: str | None = None, table: str = "", key: object = None):
        super().__init__(message, where=where)
        self.table = table
        self.key = key

    @classmethod
    def changed(cls, table: str, key: object) -> "Conflict":
        return cls(f"{table} {key} is intussen door iemand anders gewijzigd; uw wijziging is niet opgeslagen",
                   table=table, key=key)


class NotFound(WijkatlasError):
    """A record that was asked for by id or code does not exist."""


class ValidationError(WijkatlasError):
    """A record does not satisfy the domain rules (field named in ``where``)."""


class ImportFormatError(WijkatlasError):
    """A file cannot be read as the format or schema it claims to be."""


class CRSError(WijkatlasError):
    """A coordinate reference system is missing, unknown or ambiguous."""


class GeometryError(WijkatlasError):
    """A geometry is empty, invalid beyond repair, or of the wrong type."""


class PermissionDenied(WijkatlasError):
    """The current user's role does not allow this action."""
