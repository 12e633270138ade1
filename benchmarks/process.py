"""Process articles/second: `launchwire process` (pipeline, extraction, SQLite writes) beside
bare `nlp.pipe` of the same model over the same texts, in one process, median of 3.

    python -m benchmarks.process

Both sides are timed with their pipeline loaded and warmed up, as throughput is measured:
loading is a constant of a run, not a rate. The cold run (`process` loading its pipeline,
as one `launchwire process` does) is reported beside it.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from crawlers.parsers.generic import extract_article
from db import connect, store
from launchwire import stages
from launchwire.sample_site import SampleSite
from launchwire.settings import load_settings
from nlp.pipeline import load_nlp

REPEATS = 3
COPIES = 4  # the 42 sample articles, four times over: 168 texts


def sample_texts() -> list[tuple[str, str]]:
    """(title, text) of every sample article, extracted from its rendered page."""
    site = SampleSite("http://sample.test")
    texts = []
    for url in site.url_to_key():
        page = site.pages[url]
        encoding = "gbk" if page.content_type == "text/html" else "utf-8"
        extracted = extract_article(page.body.decode(encoding), url)
        texts.append((extracted.title, extracted.text))
    return texts


def editions(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """COPIES editions of every text, each a distinct story (the store keeps one row per text)."""
    return [(title, f"Edition {copy}. {text}") for copy in range(COPIES) for title, text in texts]


def load_database(path: Path, texts: list[tuple[str, str]]) -> None:
    db = connect(path)
    store.upsert_source(db, {"name": "bench", "homepage": "http://sample.test/"})
    for number, (title, text) in enumerate(texts):
        store.insert_article(db, {"url": f"http://sample.test/{number}", "source": "bench",
                                  "title": title, "text": text,
                                  "published": "2026-01-01T00:00:00+00:00",
                                  "fetched_at": "2026-01-01T00:00:00+00:00"})


def main() -> None:
    import spacy

    from benchmarks.common import report

    texts = editions(sample_texts())
    documents = [text for _, text in texts]
    settings = load_settings()
    bare_nlp = spacy.load(settings.model_name)
    list(bare_nlp.pipe(documents[:8]))  # warm up
    our_nlp = load_nlp(settings.model_name, trained=settings.trained_entities)
    list(our_nlp.pipe(documents[:8]))
    bare, ours, cold = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(REPEATS):
            started = time.perf_counter()
            for _ in bare_nlp.pipe(documents, batch_size=settings.batch_size):
                pass
            bare.append(len(documents) / (time.perf_counter() - started))

            for pipeline, runs in ((our_nlp, ours), (None, cold)):
                path = Path(folder) / f"bench{repeat}-{len(runs)}-{pipeline is None}.db"
                load_database(path, texts)
                run_settings = load_settings({"db": str(path)})
                started = time.perf_counter()
                done = stages.process(run_settings, pipeline=pipeline).analysed
                if done != len(documents):
                    raise RuntimeError(f"processed {done} of {len(documents)} texts")
                runs.append(done / (time.perf_counter() - started))
    words = sum(len(text.split()) for text in documents)
    report(f"process: {len(documents)} sample articles ({words:,} words), "
           f"model {settings.model_name}", "articles/s", bare, ours,
           "bare nlp.pipe, same texts", "launchwire process")
    report("process, cold: loading its pipeline in the timed run", "articles/s", bare, cold,
           "bare nlp.pipe, same texts", "launchwire process, cold")


if __name__ == "__main__":
    main()
