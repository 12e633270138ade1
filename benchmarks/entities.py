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
from launchwire.settings import load_settings
from nlp.extract import analyze_doc
from nlp.pipeline import load_nlp

REPEATS = 3


def words_per_second(pipeline, texts: list[str], words: int, batch_size: int,
                     analyse: bool = False) -> float:
    started = time.perf_counter()
    for doc in pipeline.pipe(texts, batch_size=batch_size):
        if analyse:
            analyze_doc(doc, "2025-06-01")
    return words / (time.perf_counter() - started)


def main() -> None:
    texts = [text for _, text in editions(sample_texts())]
    words = sum(len(text.split()) for text in texts)
    settings = load_settings()  # what `process` loads, at its batch size
    model, batch = settings.model_name, settings.batch_size
    bare, ours = spacy.load(model), load_nlp(model, trained=settings.trained_entities)
    for pipeline in (bare, ours):  # warm up both
        list(pipeline.pipe(texts[:8]))
    bare_runs, entity_runs, full_runs = [], [], []
    for _ in range(REPEATS):
        bare_runs.append(words_per_second(bare, texts, words, batch))
        with ours.select_pipes(disable=["launchwire_metrics", "launchwire_launches"]):
            entity_runs.append(words_per_second(ours, texts, words, batch))
        full_runs.append(words_per_second(ours, texts, words, batch, analyse=True))
    title = f"{len(texts)} sample articles ({words:,} words), model {model}"
    report(f"entities: {title}", "words/s", bare_runs, entity_runs, "bare nlp.pipe",
           "entity pipeline")
    report(f"metrics and launches: {title}", "words/s", entity_runs, full_runs,
           "entity pipeline", "whole analysis")


if __name__ == "__main__":
    main()
