"""Entity pipeline words/second beside bare `nlp.pipe` of the same model on the same texts,
in one process, median of 3 (issue #4 asks for a ratio of at least 0.7).

    python -m benchmarks.entities
"""

from __future__ import annotations

import time

import spacy

from benchmarks.common import report
from benchmarks.process import editions, sample_texts
from nlp.pipeline import default_model_name, load_nlp

REPEATS = 3
BATCH_SIZE = 32


def words_per_second(pipeline, texts: list[str], words: int) -> float:
    started = time.perf_counter()
    for _ in pipeline.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return words / (time.perf_counter() - started)


def main() -> None:
    texts = [text for _, text in editions(sample_texts())]
    words = sum(len(text.split()) for text in texts)
    model = default_model_name()
    bare, ours = spacy.load(model), load_nlp(model)
    for pipeline in (bare, ours):  # warm up both
        list(pipeline.pipe(texts[:8]))
    bare_runs, our_runs = [], []
    for _ in range(REPEATS):
        bare_runs.append(words_per_second(bare, texts, words))
        our_runs.append(words_per_second(ours, texts, words))
    report(f"entities: {len(texts)} sample articles ({words:,} words), model {model}",
           "words/s", bare_runs, our_runs, "bare nlp.pipe", "launchwire pipeline")


if __name__ == "__main__":
    main()
