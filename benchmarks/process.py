"""Process articles/second: `launchwire process` (pipeline, extraction, SQLite writes) beside
bare `nlp.pipe` of the same model over the same texts, in one process, median of 3: on the
sample site's articles, then on real pages from the shared corpora when they are here; then
`process` on one worker (this process) beside two (#17).

    python -m benchmarks.process [--only-workers]

Both sides are timed with their pipeline loaded and warmed up, as throughput is measured:
loading is a constant of a run, not a rate. The cold run (`process` loading its pipeline,
as one `launchwire process` does) is reported beside it.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.common import median
from crawlers.parsers.generic import extract_article
from db import connect, store
from launchwire import stages
from launchwire.sample_site import SampleSite
from launchwire.settings import Settings, load_settings
from launchwire.workers import Workers
from nlp.pipeline import load_nlp

REPEATS = 3
COPIES = 4  # the 42 sample articles, four times over: 168 texts
REAL_ARTICLES = 48


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


def editions(texts: list[tuple[str, str]], copies: int = COPIES) -> list[tuple[str, str]]:
    """Editions of every text, each a distinct story (the store keeps one row per text)."""
    return [(title, f"Edition {copy}. {text}") for copy in range(copies) for title, text in texts]


def load_database(path: Path, texts: list[tuple[str, str]]) -> None:
    db = connect(path)
    store.upsert_source(db, {"name": "bench", "homepage": "http://sample.test/"})
    for number, (title, text) in enumerate(texts):
        store.insert_article(db, {"url": f"http://sample.test/{number}", "source": "bench",
                                  "title": title, "text": text,
                                  "published": "2026-01-01T00:00:00+00:00",
                                  "fetched_at": "2026-01-01T00:00:00+00:00"})


def real_texts(count: int = REAL_ARTICLES) -> list[tuple[str, str]] | None:
    """(title, text) of a fixed draw of real tech-news pages from the shared corpora's
    lostflux crawl, dev split: longer than the sample's articles (most run to a thousand
    words or more, with their site's menus) and mostly no launch. None without the corpora."""
    from launchwire.corpora import LOSTFLUX, CorporaMissing, order_key, read_corpus

    try:
        found = [doc for doc in read_corpus(LOSTFLUX) if doc.split == "dev" and doc.text.strip()]
    except CorporaMissing:
        return None
    found.sort(key=lambda doc: order_key(doc.doc_id, "benchmarks.process"))
    return [(doc.title, doc.text) for doc in found[:count]]


def against_bare(texts: list[tuple[str, str]], settings: Settings, bare_nlp: object,
                 our_nlp: object, with_cold: bool = False) -> tuple[list, list, list]:
    """Articles/s of bare `nlp.pipe` and of `process` (and of `process` loading its own
    pipeline, with_cold) over the same texts, alternated, REPEATS runs each."""
    documents = [text for _, text in texts]
    bare, ours, cold = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        # Both warmed on every text, untimed: a first run compiles patterns (ours and
        # dateparser's, 0.5 s), fills the lemmatizer's cache and grows the heap (spaCy's
        # Token objects took 1 s more), a constant of a run like loading the pipeline. Warmed
        # on 8 texts, `process`'s first timed run was 17-19 s against 14-15 s after.
        list(bare_nlp.pipe(documents, batch_size=settings.batch_size))
        timed_process(Path(folder) / "warm.db", texts, our_nlp)
        for repeat in range(REPEATS):
            started = time.perf_counter()
            for _ in bare_nlp.pipe(documents, batch_size=settings.batch_size):
                pass
            bare.append(len(documents) / (time.perf_counter() - started))
            for pipeline, runs in ((our_nlp, ours), (None, cold))[:2 if with_cold else 1]:
                path = Path(folder) / f"bench{repeat}-{len(runs)}-{pipeline is None}.db"
                load_database(path, texts)
                run_settings = load_settings({"db": str(path), "process_workers": 1})
                started = time.perf_counter()
                done = stages.process(run_settings, pipeline=pipeline).analysed
                if done != len(documents):
                    raise RuntimeError(f"processed {done} of {len(documents)} texts")
                runs.append(done / (time.perf_counter() - started))
    return bare, ours, cold


def cpu_seconds() -> float:
    """CPU time of this process and of its live children, the workers (Linux /proc): on a
    shared machine, the cores a run obtained explain what its wall time cannot."""
    tick = os.sysconf("SC_CLK_TCK")
    total = time.process_time()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        if int(fields[1]) == os.getpid():  # ppid; then utime and stime, in ticks
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _busy_loop(steps: int) -> int:
    total = 0
    for step in range(steps):
        total += step * step
    return total


def machine_ratio(steps: int = 20_000_000) -> float:
    """Speed of two busy loops in two processes over one loop in one: 2.0 on an idle machine
    of two cores or more, less when others' work takes them; the yardstick of the workers'
    ratio on a shared machine."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_busy_loop, [1, 1]))  # both started
        started = time.perf_counter()
        _busy_loop(steps)
        one = time.perf_counter() - started
        started = time.perf_counter()
        list(pool.map(_busy_loop, [steps, steps]))
        return 2 * one / (time.perf_counter() - started)


def timed_process(path: Path, texts: list[tuple[str, str]], pipeline: object,
                  workers: Workers | None = None) -> tuple[float, float]:
    """Articles/s of one `process` run over a new database of these texts, and the cores it
    obtained (CPU seconds per wall second)."""
    load_database(path, texts)
    started, cpu = time.perf_counter(), cpu_seconds()
    done = stages.process(load_settings({"db": str(path), "process_workers": 1}),
                          pipeline=pipeline, workers=workers).analysed
    wall = time.perf_counter() - started
    if done != len(texts):
        raise RuntimeError(f"processed {done} of {len(texts)} texts")
    return done / wall, (cpu_seconds() - cpu) / wall


def by_workers(texts: list[tuple[str, str]], settings: Settings, pipeline: object) -> None:
    """`process` on this process alone beside two warm workers, same texts, alternated runs."""
    from benchmarks.common import report

    one, two = [], []
    load = functools.partial(load_nlp, settings.model_name, trained=settings.trained_entities)
    with tempfile.TemporaryDirectory() as folder, Workers(2, load) as pool:
        # Both workers start and load their pipeline on the first chunks, and this process
        # what it loads on first use: not timed.
        timed_process(Path(folder) / "warm.db", texts[:2 * settings.batch_size], pipeline, pool)
        timed_process(Path(folder) / "warm-one.db", texts, pipeline)
        for repeat in range(REPEATS):
            one.append(timed_process(Path(folder) / f"one{repeat}.db", texts, pipeline))
            two.append(timed_process(Path(folder) / f"two{repeat}.db", texts, pipeline, pool))
    report(f"process on workers: {len(texts)} sample articles, batch size "
           f"{settings.batch_size}", "articles/s", [rate for rate, _ in one],
           [rate for rate, _ in two], "1 worker (this process)", "2 workers",
           target=">= 1.7 (#17)")
    for name, runs in (("1 worker", one), ("2 workers", two)):
        # Articles per CPU second: what the workers cost besides the one process's work.
        print(f"{name}: {median(cores for _, cores in runs):.2f} cores obtained (CPU s / wall "
              f"s), {median(rate / cores for rate, cores in runs):.1f} articles per CPU second")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; two busy loops "
          f"ran {machine_ratio():.2f}x one just now (2.0 when the machine is ours)")


def main() -> None:
    import spacy

    from benchmarks.common import report

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only-workers", action="store_true",
                        help="only the comparison of one worker and two")
    texts = editions(sample_texts())
    documents = [text for _, text in texts]
    settings = load_settings()
    # Twice the texts for the workers: ten chunks, several for each (the last is a quarter).
    more = editions(sample_texts(), 2 * COPIES)
    if parser.parse_args().only_workers:
        by_workers(more, settings, load_nlp(settings.model_name,
                                            trained=settings.trained_entities))
        return
    bare_nlp = spacy.load(settings.model_name)
    our_nlp = load_nlp(settings.model_name, trained=settings.trained_entities)
    bare, ours, cold = against_bare(texts, settings, bare_nlp, our_nlp, with_cold=True)
    words = sum(len(text.split()) for text in documents)
    report(f"process: {len(documents)} sample articles ({words:,} words), "
           f"model {settings.model_name}", "articles/s", bare, ours,
           "bare nlp.pipe, same texts", "launchwire process", target=">= 0.8 (#17)")
    report("process, cold: loading its pipeline in the timed run", "articles/s", bare, cold,
           "bare nlp.pipe, same texts", "launchwire process, cold")
    real = real_texts()
    if real is None:
        print("real articles: the shared corpora are not on this machine (LAUNCHWIRE_CORPORA)")
    else:
        bare, ours, _ = against_bare(real, settings, bare_nlp, our_nlp)
        words = sum(len(text.split()) for _, text in real)
        report(f"process: {len(real)} real articles ({words:,} words; lostflux corpus, dev "
               "split)", "articles/s", bare, ours, "bare nlp.pipe, same texts",
               "launchwire process", target=">= 0.8 (#17)")
    by_workers(more, settings, our_nlp)


if __name__ == "__main__":
    main()
