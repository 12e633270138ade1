"""Assemble launchwire's spaCy pipeline: the statistical model plus registered components."""

from __future__ import annotations

import spacy
from spacy.language import Language

import nlp.components  # noqa: F401  (registers the factories when not installed as entry points)

# Bump when the components change behaviour, so `process` redoes articles.
COMPONENTS_VERSION = "1"


class ModelLoadError(RuntimeError):
    """The configured spaCy model is not installed or cannot be loaded."""


def load_nlp(model_name: str) -> Language:
    """Load the statistical model by package name and add launchwire's components.

    model_name (str): an installed spaCy pipeline package, e.g. "en_core_web_sm".
    RETURNS (Language): the assembled pipeline.
    """
    try:
        pipeline = spacy.load(model_name)
    except OSError as error:
        raise ModelLoadError(
            f"spaCy model {model_name!r} is not installed: pip install it, or set "
            f"LAUNCHWIRE_SPACY_MODEL to an installed pipeline") from error
    pipeline.add_pipe("launchwire_entities", after="ner")
    pipeline.add_pipe("launchwire_launches", last=True)
    return pipeline


def pipeline_version(pipeline: Language) -> str:
    """Identifies the model and components that produced an analysis."""
    meta = pipeline.meta
    return f"{meta['lang']}_{meta['name']}-{meta['version']}+launchwire.{COMPONENTS_VERSION}"
