"""The text-handling figures of `process` on real published articles (#12).

    launchwire evaluate text [--articles 300] [--long 40] [--json]

Reads the tech-news crawl in `../shared/corpora` (or `$LAUNCHWIRE_CORPORA`) at run time and
prints aggregates only: no published text is kept in this repository. Articles are split by a
hash of their id, one in five in the test split; nothing here was tuned on any of them.

- Quoting budget: the share of an article's sentences a public site shows (its summary and
  the quotable fact and figure sentences), by spaCy's sentences and by a plain splitter, as
  the site's leak test counts them; the issue's bounds are 30% for the median article and
  50% for any one.
- Long texts: articles over PIECE_CHARS analysed in pieces against the same articles analysed
  whole: agreement of the entities, figures and launch facts found, and the time ratio.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Iterator

from rich.console import Console
from rich.table import Table

from launchwire.corpora import CORPORA_ENV, bucket, corpora_folder

CRAWL = Path("lostflux-tech-news-crawl") / "articles.jsonl.gz"
TEST_SHARE = 5  # one article in five
# What the site's leak test counts as a sentence: text up to . ! ? and a space or the end.
PLAIN_SENTENCE = re.compile(r"[^.!?]+[.!?]+(?=\s|$)")


def in_test_split(document_id: str) -> bool:
    """One article in five: the first of the two test buckets of launchwire.corpora.split_of."""
    return bucket(document_id, TEST_SHARE) == 0


def test_articles(path: Path) -> Iterator[dict[str, Any]]:
    """The crawl's test-split articles, in file order, with a date where the URL gives one."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if in_test_split(article["id"]) and article.get("text"):
                yield article


def shown_sentences(analysis: Any, budget: bool = True) -> set[str]:
    """What a public site shows of an article: its summary and the quotable fact and figure
    sentences; without the budget, as before #12, every mention's, figure's and fact's."""
    items = (*analysis.metrics, *analysis.launch_facts) if budget else (
        *analysis.entities, *analysis.metrics, *analysis.launch_facts)
    return set(analysis.summary_sentences) | {
        item.sentence for item in items if not budget or item.quotable}


def plain_share(shown: set[str], text: str) -> float:
    """The share of an article's plain sentences found verbatim in what is shown."""
    published = " ".join(shown)
    plain = [s.strip() for s in PLAIN_SENTENCE.findall(text) if len(s.split()) >= 3]
    return sum(1 for s in plain if s in published) / max(1, len(plain))


def budget_figures(nlp: Any, articles: list[dict]) -> dict[str, Any]:
    from nlp.extract import analyze_doc

    shares: dict[str, list[float]] = {"spacy": [], "plain": [], "plain, no budget": []}
    for doc, article in zip(nlp.pipe(a["text"] for a in articles), articles):
        analysis = analyze_doc(doc, article.get("date"))
        sentences = {sent.text.strip() for sent in doc.sents if sent.text.strip()}
        shown = shown_sentences(analysis)
        shares["spacy"].append(len(shown & sentences) / max(1, len(sentences)))
        shares["plain"].append(plain_share(shown, article["text"]))
        shares["plain, no budget"].append(plain_share(shown_sentences(analysis, False),
                                                      article["text"]))
    return {"articles": len(articles),
            **{f"{name} {stat}": round(fn(values), 3) for name, values in shares.items()
               for stat, fn in (("median", statistics.median), ("max", max))},
            "plain over 30%": sum(share > 0.3 for share in shares["plain"]),
            "plain over 50%": sum(share > 0.5 for share in shares["plain"])}


def _keys(analysis: Any) -> dict[str, set[tuple]]:
    return {"entities": {(e.start, e.end, e.label) for e in analysis.entities},
            "metrics": {(m.start, m.end, m.metric, m.value) for m in analysis.metrics},
            "launch facts": {(f.start, f.product, f.modality) for f in analysis.launch_facts}}


def _f1(found: set, reference: set) -> float:
    if not found and not reference:
        return 1.0
    return 2 * len(found & reference) / (len(found) + len(reference))


def pieces_figures(nlp: Any, articles: list[dict]) -> dict[str, Any]:
    """Pieces against whole: F1 of what each finds (the whole text as reference)."""
    from nlp.extract import PIECE_CHARS, analyze

    found: dict[str, list[set]] = {}
    reference: dict[str, list[set]] = {}
    seconds = {"pieces": 0.0, "whole": 0.0}
    same_about = 0
    for article in articles:
        results = {}
        for mode, size in (("pieces", PIECE_CHARS), ("whole", len(article["text"]) + 1)):
            started = time.perf_counter()
            results[mode], = analyze(nlp, [article["text"]], [article.get("date")],
                                     piece_chars=size)
            seconds[mode] += time.perf_counter() - started
        for kind, keys in _keys(results["pieces"]).items():
            found.setdefault(kind, []).append(keys)
        for kind, keys in _keys(results["whole"]).items():
            reference.setdefault(kind, []).append(keys)
        about = [[(f.product, f.modality) for f in results[m].launch_facts if f.about]
                 for m in ("pieces", "whole")]
        same_about += about[0] == about[1]
    scores = {kind: round(_f1(set().union(*[{(i, *key) for key in keys}
                                            for i, keys in enumerate(found[kind])]),
                              set().union(*[{(i, *key) for key in keys}
                                            for i, keys in enumerate(reference[kind])])), 3)
              for kind in found}
    return {"articles": len(articles), **scores, "same article launch": same_about,
            "time pieces / whole": round(seconds["pieces"] / max(seconds["whole"], 1e-9), 2)}


def report(model_name: str, articles: int = 300, long_articles: int = 40,
           max_chars: int = 60_000, as_json: bool = False) -> None:
    """Measure the quoting budget on `articles` ordinary test-split articles and pieces
    against whole on `long_articles` long ones (none over `max_chars`: the metric rules are
    quadratic), and print the figures."""
    path = corpora_folder() / CRAWL
    if not path.is_file():
        print(f"real-text figures skipped: {path} is absent (set {CORPORA_ENV} to the "
              "folder holding the shared corpora)", file=sys.stderr)
        return
    from nlp.extract import PIECE_CHARS
    from nlp.pipeline import load_nlp

    nlp = load_nlp(model_name)
    texts = list(test_articles(path))
    ordinary = [a for a in texts if len(a["text"]) <= PIECE_CHARS][:articles]
    long = [a for a in texts if PIECE_CHARS < len(a["text"]) <= max_chars][:long_articles]
    figures = {"budget": budget_figures(nlp, ordinary), "pieces": pieces_figures(nlp, long)}
    if as_json:
        print(json.dumps(figures))
        return
    for title, rows in (("quoting budget, real test split (share of sentences shown)",
                         figures["budget"]),
                        (f"long texts in {PIECE_CHARS:,}-character pieces vs whole, real test "
                         "split (F1 against whole)", figures["pieces"])):
        table = Table(title=title)
        table.add_column("figure")
        table.add_column("value", justify="right")
        for name, value in rows.items():
            table.add_row(name, str(value))
        Console().print(table)

