"""The one owner of launchwire's schema and of every write to its database."""

from db.connection import (DatabaseFileError, connect, shared_connection,
                           write_transaction)
from db.schema import migrations

__all__ = ["DatabaseFileError", "connect", "migrations", "shared_connection", "write_transaction"]
