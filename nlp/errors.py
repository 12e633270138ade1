"""Errors the NLP stage raises for a user to act on, importable without loading spaCy (the
command line names them before any command runs)."""

from __future__ import annotations


class ModelLoadError(RuntimeError):
    """The configured spaCy model is not installed or cannot be loaded."""
