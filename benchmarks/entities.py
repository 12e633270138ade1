"""Pipeline words/second on the same texts in one process, median of 3: the entity pipeline
beside bare `nlp.pipe` of the same model (issue #4 asks for at least 0.7), and the whole
pipeline (metrics and launches too, each Doc turned into its analysis with the launch details)
beside the entity pipeline (issue #5: at most 30% slower).

    python -m benchmarks.entities
"""

from __future__ import annotations

import time

import spacy

from benchmarks.common import report
from benchmarks.process import editions, sample_texts
from nlp.extract import analyze_doc
from nlp.pipeline import default_model_name, load_nlp

REPEATS = 3
BATCH_SIZE = 32


def words_per_second(pipeline, texts: list[str], words: int, analyse: bool = False) -> float:
    started = time.perf_counter()
    for doc in pipeline.pipe(texts, batch_size=BATCH_SIZE):
        if analyse:
            analyze_doc(doc, "2025-06-01")
    return words / (time.perf_counter() - started)


def main() -> None:
    texts = [text for _, text in editions(sample_texts())]
    words = sum(len(text.split()) for text in texts)
    model = default_model_name()
    bare, ours = spacy.load(model), load_nlp(model)
    for pipeline in (bare, ours):  # warm up both
        list(pipeline.pipe(texts[:8]))
    bare_runs, entity_runs, full_runs = [], [], []
    for _ in range(REPEATS):
        bare_runs.append(words_per_second(bare, texts, words))
        with ours.select_pipes(disable=["launchwire_metrics", "launchwire_launches"]):
            entity_runs.append(words_per_second(ours, texts, words))
        full_runs.append(words_per_second(ours, texts, words, analyse=True))
    title = f"{len(texts)} sample articles ({words:,} words), model {model}"
    report(f"entities: {title}", "words/s", bare_runs, entity_runs, "bare nlp.pipe",
           "entity pipeline")
    report(f"metrics and launches: {title}", "words/s", entity_runs, full_runs,
           "entity pipeline", "whole analysis")


if __name__ == "__main__":
    main()
