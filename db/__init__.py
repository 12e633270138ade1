"""The one owner of launchwire's schema and of every write to its database."""

from db.schema import connect, migrations

__all__ = ["connect", "migrations"]
