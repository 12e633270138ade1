"""The single writer's ceiling (#18): how many analysed articles, and rows, the one process
that writes SQLite stores a second, as `process` stores them (a chunk of analyses per
transaction, `store.save_analysis`), whatever the number of NLP workers feeding it.

    python -m benchmarks.writer [--copies 24] [--chunk 32]

The 42 sample articles are analysed once; the analyses are then stored for `--copies`
editions of every article into a fresh database, timed alone. Beside it, one NLP process's
articles/second on the same texts says how many workers one writer can keep up with.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.process import editions, load_database, sample_texts

ROW_TABLES = ("mentions", "metrics", "facts", "entities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=24)
    parser.add_argument("--chunk", type=int, default=32)
    options = parser.parse_args()
    from rich.console import Console

    from db import connect, store, write_transaction
    from launchwire.settings import load_settings
    from launchwire.workers import outcomes
    from nlp.pipeline import load_nlp, pipeline_version

    pipeline = load_nlp(load_settings().model_name)
    version = pipeline_version(pipeline)
    texts = sample_texts()
    chunk = [{"text": text, "title": title, "lang": None, "published": "2026-01-01"}
             for title, text in texts]
    outcomes(pipeline, chunk[:4], options.chunk)  # warm
    started = time.perf_counter()
    analyses = outcomes(pipeline, chunk, options.chunk)
    nlp_rate = len(chunk) / (time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "writer.db"
        load_database(path, editions(texts, options.copies))
        db = connect(path)
        ids = [row[0] for row in db.execute("select id from articles order by id").fetchall()]
        before = sum(db.table(table).count for table in ROW_TABLES)
        started = time.perf_counter()
        for first in range(0, len(ids), options.chunk):
            with write_transaction(db):
                for article_id in ids[first:first + options.chunk]:
                    store.save_analysis(db, article_id, analyses[article_id % len(analyses)],
                                        version)
        elapsed = time.perf_counter() - started
        rows = sum(db.table(table).count for table in ROW_TABLES) - before
    rate = len(ids) / elapsed
    Console().print(
        f"single writer: {len(ids):,} analysed articles stored in {elapsed:.2f} s: "
        f"[bold]{rate:,.0f} articles/s[/], {rows / elapsed:,.0f} rows/s ({rows:,} rows of "
        f"{', '.join(ROW_TABLES)}, facet counts and figure spreads kept by triggers); one NLP "
        f"process analyses {nlp_rate:,.1f} articles/s of the same texts, so one writer keeps "
        f"up with about {rate / nlp_rate:,.0f} NLP workers")


if __name__ == "__main__":
    main()
