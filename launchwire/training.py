"""Build the trained entity recogniser's corpora, and ship what `spacy train` made (#13).

    python -m launchwire.training corpus [--out build/training] [--silver N] [--rehearsal N]
    python -m launchwire.training package build/training/model/model-best

`make train` runs both around `spacy train nlp/training/config.cfg`.

Everything comes from the dev side of the real-text split and the public train splits:

- gold: the real-text dev passages (`tests/data/real/entities.jsonl`), one in five of their
  documents held out as the development corpus `spacy train` picks its best model on, and
  the fourth draw left out (`real_sets.UNTRAINED_FROM`: trained on, it moved nothing);
- CoNLL-2003 train, ORG as COMPANY (one document in five), and WNUT-17 train, corporation
  as COMPANY and product as APP where the gazetteer knows an app of that name, else PRODUCT;
- silver: paragraphs of dev-split crawl articles no set uses, labelled by the gazetteer and
  the context rules with a cue noun alone (the most precise layers on the dev passages);
  tokens they leave unlabelled are "missing", not "outside", so unknown names are not taught
  as non-names;
- rehearsal: such paragraphs with the stock model's numbers, dates and times only.

Silver and rehearsal paragraphs are off by default: each cost the TECH_* labels on the
held-out passages.

The recogniser is the stock `ner` fine-tuned, so every text also carries the stock model's
own entities (PERSON, DATE, MONEY …) where no gold span lies: it keeps what it knew (what the
figure rules read) while it learns the TECH_* labels. On CoNLL, whose gold names every
organisation, the stock ORG spans are dropped. The test split is never read here.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from launchwire import corpora, public_sets, real_sets
from launchwire.settings import SETTING_NAMED, load_settings
from nlp.gazetteer import load_gazetteer
from nlp.pipeline import TRAINED_MODEL, load_nlp
from nlp.vocabulary import LABELS

OUT = corpora.REPO / "build" / "training"
PREFIX = "TECH_"
REAL_REPEATS = 3  # the real passages are few beside CoNLL; each is seen three times an epoch
REHEARSAL = 0  # pseudo-rehearsal paragraphs: none (see rehearsal_docs)
NUMBER_LABELS = frozenset({"CARDINAL", "DATE", "MONEY", "ORDINAL", "PERCENT", "QUANTITY", "TIME"})


def labelled_doc(stock: Language, text: str, spans: Iterable[tuple[int, int, str]],
                 unlabelled: str = "outside", drop_stock: frozenset[str] = frozenset()) -> Doc:
    """A Doc with the spans as TECH_* entities (trimmed to the tokens inside them) and the
    stock model's entities wherever they do not touch one."""
    doc = stock(text)
    ents = [span for start, end, label in spans
            if (span := doc.char_span(start, end, label=PREFIX + label,
                                      alignment_mode="contract")) is not None and len(span)]
    covered = {i for span in ents for i in range(span.start, span.end)}
    kept = [ent for ent in doc.ents if ent.label_ not in drop_stock
            and not any(i in covered for i in range(ent.start, ent.end))]
    gold = stock.make_doc(text)
    gold.set_ents([Span(gold, e.start, e.end, label=e.label_) for e in filter_spans(ents + kept)],
                  default=unlabelled)
    return gold


def real_docs(nlp: Language, repeats: int = REAL_REPEATS) -> tuple[list[Doc], list[Doc]]:
    """The real dev passages: (training, held out for model selection)."""
    train, held_out = [], []
    regions = real_sets.regions_by_id()
    for record in real_sets.load_entities("dev"):
        region = regions[record["id"]]
        doc = labelled_doc(nlp, record["text"], record["entities"])
        if not real_sets.held_out_of_training(region):
            train.extend([doc] * repeats)
        elif record["id"] < real_sets.UNTRAINED_FROM:
            held_out.append(doc)  # model selection reads the first three draws' fifth only
    return train, held_out


def public_docs(nlp: Language) -> list[Doc]:
    apps = {spelling.lower() for entry in load_gazetteer() if entry.label == "APP" or entry.service
            for spelling in entry.spellings}
    docs = []
    for number, text in enumerate(public_sets.read(public_sets.CONLL_TRAIN)):
        if corpora.bucket(str(number), 5, "conll") < 1:
            docs.append(labelled_doc(nlp, text.text, [(s, e, "COMPANY") for s, e, label
                                                      in text.spans if label == "ORG"],
                                     drop_stock=frozenset({"ORG"})))
    for text in public_sets.read(public_sets.WNUT_TRAIN, sentences_per_text=1):
        spans = []
        for start, end, label in text.spans:
            if label == "corporation":
                spans.append((start, end, "COMPANY"))
            elif label == "product":
                known_app = text.text[start:end].lower() in apps
                spans.append((start, end, "APP" if known_app else "PRODUCT"))
        docs.append(labelled_doc(nlp, text.text, spans))
    return docs


def spare_paragraphs(limit: int, salt: str) -> list[str]:
    """Opening paragraphs of dev-split crawl articles that no real-text set uses."""
    used = {region.doc_id for region in real_sets.regions_by_id().values()}
    texts: list[str] = []
    for document in sorted(corpora.documents(corpora.LOSTFLUX).values(),
                           key=lambda d: corpora.order_key(d.doc_id, salt)):
        if len(texts) >= limit:
            break
        if document.split != "dev" or document.doc_id in used:
            continue
        for start, end in list(real_sets.paragraphs(document.text))[:2]:
            texts.append(document.text[start:end])
    return texts[:limit]


def rehearsal_docs(stock: Language, limit: int) -> list[Doc]:
    """News paragraphs carrying only the stock model's numbers, dates and times, so that
    fine-tuning does not make it forget them: without these, it split "hundreds of millions"
    in two and lost "half a million", which the figure rules read. Every other token is left
    unlabelled ("missing"): no name is taught here, neither TECH_* nor stock."""
    names = frozenset(stock.get_pipe("ner").labels) - NUMBER_LABELS
    return [labelled_doc(stock, text, [], unlabelled="missing", drop_stock=names)
            for text in spare_paragraphs(limit, "rehearsal")]


def silver_docs(pipeline: Language, stock: Language, limit: int) -> list[Doc]:
    """Crawl paragraphs labelled by the gazetteer and context rules only."""
    texts = spare_paragraphs(limit, "silver")
    entities = pipeline.get_pipe("launchwire_entities")
    saved, entities.model_labels = entities.model_labels, {}
    families = entities.families
    # Rules without a cue noun ("launched in Pune") are the least precise: left out here.
    entities.families = tuple(f for f in families if not getattr(f, "without_cue_noun", False))
    try:
        docs = []
        for text, analysed in zip(texts, pipeline.pipe(texts)):
            spans = [(ent.start_char, ent.end_char, ent.label_) for ent in analysed.ents
                     if ent.label_ in LABELS]
            if spans:
                docs.append(labelled_doc(stock, text, spans, unlabelled="missing"))
        return docs
    finally:
        entities.model_labels, entities.families = saved, families


def package(trained_path: Path, target: Path = TRAINED_MODEL) -> None:
    """Copy a trained pipeline (its `ner` only) to where `load_nlp` finds it."""
    trained = spacy.load(trained_path)
    trained.meta["name"] = "launchwire_entities"
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    trained.to_disk(target)


def build_corpora(out: Path, model: str, silver: int, real_repeats: int,
                  rehearsal: int) -> None:
    pipeline = load_nlp(model, trained=False)
    stock = spacy.load(model, disable=["launchwire_entities"])
    train, held_out = real_docs(stock, real_repeats)
    public = public_docs(stock)
    extra = silver_docs(pipeline, stock, silver) if silver else []
    extra += rehearsal_docs(stock, rehearsal) if rehearsal else []
    out.mkdir(parents=True, exist_ok=True)
    DocBin(docs=train + public + extra, store_user_data=False).to_disk(out / "train.spacy")
    DocBin(docs=held_out, store_user_data=False).to_disk(out / "dev.spacy")
    labels = Counter(ent.label_ for doc in train + public + extra for ent in doc.ents)
    print(f"{out}: train {len(train)} real + {len(public)} public + {len(extra)} silver "
          f"and rehearsal docs ({dict(labels)}); dev {len(held_out)} real passages")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m launchwire.training", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("corpus", help="write train.spacy and dev.spacy")
    build.add_argument("--out", type=Path, default=OUT)
    build.add_argument("--model", help=SETTING_NAMED["spacy_model"].help)
    build.add_argument("--silver", type=int, default=0, help="silver paragraphs at most (none "
                       "by default: on the held-out dev passages they cost 0.03 F1)")
    build.add_argument("--rehearsal", type=int, default=REHEARSAL,
                       help="news paragraphs with the stock model's own entities only")
    build.add_argument("--real-repeats", type=int, default=REAL_REPEATS,
                       help="times each real passage is seen in an epoch")
    ship = commands.add_parser("package", help="ship a trained pipeline in nlp/models/entities")
    ship.add_argument("trained", type=Path)
    args = parser.parse_args()
    try:
        if args.command == "corpus":
            model = load_settings({"spacy_model": args.model}).model_name
            build_corpora(args.out, model, args.silver, args.real_repeats, args.rehearsal)
        else:
            package(args.trained)
            size = sum(f.stat().st_size for f in TRAINED_MODEL.rglob("*") if f.is_file())
            print(f"{TRAINED_MODEL}: {size:,} bytes")
    except corpora.CorporaMissing as error:
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
