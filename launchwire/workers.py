"""The analysis of chunks of articles, in this process or in worker processes (#17, #18).

Why worker processes and not spaCy's `nlp.pipe(n_process=N)`: spaCy sends every Doc back to
the parent with `Doc.to_bytes`, which cannot serialise what our components leave in the Doc's
extensions (tried: "can not serialize 'FoundMetric' object"), and the work after the pipeline
(`analyze_doc`, summaries, headlines, Chinese texts) would stay in the parent. A worker
instead loads the pipeline once and runs `outcomes`, the very function the one-process path
runs, on the same chunks of articles, returning plain records: the output is the same by
construction, and the parent stays the one SQLite writer.
"""

from __future__ import annotations

import functools
import signal
from collections import deque
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Protocol

from crawlers.pools import spawned_pool
from launchwire.errors import ProcessError

if TYPE_CHECKING:
    from launchwire.settings import Settings

Loader = Callable[[], Any]  # picklable (a module's function, a partial): builds the pipeline
Outcome = dict | str  # an article's analysis record, or why it could not be analysed


def _analyses(pipeline: Any, chunk: list[dict], batch_size: int) -> list[Any]:
    """Each article's analysis, or the exception that stopped it (#12).

    A chunk goes through `nlp.pipe` at once; when any component raises, the chunk is run
    again one article at a time so that only the article at fault is set aside.
    """
    from nlp.extract import analyze_in_language

    try:
        return list(analyze_in_language(
            pipeline, [row["text"] or "" for row in chunk], [row.get("lang") for row in chunk],
            [row["published"] for row in chunk], batch_size=batch_size,
            titles=[row.get("title") for row in chunk]))
    except Exception:  # noqa: BLE001  any component may fail on some text: find which
        pass
    results: list[Any] = []
    for row in chunk:
        try:
            results.append(next(analyze_in_language(
                pipeline, [row["text"] or ""], [row.get("lang")], [row["published"]],
                titles=[row.get("title")])))
        except Exception as error:  # noqa: BLE001  recorded with its article, not fatal
            results.append(error)
    return results


def outcomes(pipeline: Any, chunk: list[dict], batch_size: int) -> list[Outcome]:
    """Each article's analysis as a record to store, or the one-line reason it failed: plain
    data, as a worker sends back (an exception may not pickle).

    chunk (list[dict]): articles, with text, lang, published and title.
    RETURNS (list): per article, a record (dict) or a reason (str).
    """
    return [f"{type(result).__name__}: {result}".splitlines()[0]
            if isinstance(result, Exception) else result.to_record()
            for result in _analyses(pipeline, chunk, batch_size)]


_pipeline: Any = None  # a worker's own pipeline, loaded once when it starts
_version: str = ""


def pipeline_loader(settings: Settings) -> Loader:
    """What builds the settings' pipeline, in this process or another (it pickles)."""
    from nlp.pipeline import load_nlp

    return functools.partial(load_nlp, settings.model_name, trained=settings.trained_entities)


def load_own_pipeline(load: Loader) -> str:
    """Load this process's pipeline, which the chunks it analyses from now on go through.

    RETURNS (str): the pipeline's version.
    """
    from nlp.pipeline import pipeline_version

    global _pipeline, _version
    _pipeline = load()
    _version = pipeline_version(_pipeline)
    return _version


def has_own_pipeline() -> bool:
    return _pipeline is not None


def _start(load: Loader) -> None:
    # Ctrl-C is the parent's to handle: it stops handing out chunks and lets the ones being
    # analysed end, so the workers leave quietly rather than each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load_own_pipeline(load)


def analyse_with_own_pipeline(chunk: list[dict], batch_size: int) -> tuple[str, list[Outcome]]:
    """The outcomes of a chunk by this process's pipeline, with that pipeline's version."""
    return _version, outcomes(_pipeline, chunk, batch_size)


class Analysers(Protocol):
    """Workers that analyse chunks of articles for `process`, which stays their one writer."""

    def analyse(self, chunks: Iterable[list[dict]], batch_size: int,
                version: str) -> Iterator[tuple[list[dict], list[Outcome]]]:
        """Each chunk with its outcomes, in the order the chunks come.

        Two chunks per worker are in flight, so none waits for the next while the parent
        writes, and no more than those are read ahead of the writes.
        version (str): the parent's pipeline version, which every worker's must be.
        YIELDS (tuple): a chunk and its outcomes.
        """
        ...


class Workers:
    """Processes that each load the pipeline once and analyse chunks of articles.

    count (int): how many processes.
    load (Loader): builds the pipeline in each of them.
    """

    def __init__(self, count: int, load: Loader) -> None:
        self.count = count
        # Spawned, and ending with this process even when it is killed (crawlers.pools).
        self._pool = spawned_pool(count, initializer=_start, initargs=(load,))

    def analyse(self, chunks: Iterable[list[dict]], batch_size: int,
                version: str) -> Iterator[tuple[list[dict], list[Outcome]]]:
        """See `Analysers.analyse`."""
        in_flight: deque[tuple[list[dict], Future]] = deque()
        for chunk in chunks:
            future = self._pool.submit(analyse_with_own_pipeline, chunk, batch_size)
            in_flight.append((chunk, future))
            if len(in_flight) >= 2 * self.count:
                yield self._done(*in_flight.popleft(), version)
        while in_flight:
            yield self._done(*in_flight.popleft(), version)

    @staticmethod
    def _done(chunk: list[dict], future: Future, version: str) -> tuple[list[dict], list]:
        try:
            worker_version, results = future.result()
        except BrokenProcessPool as error:
            # Killed (out of memory?) or its pipeline would not load: what the parent wrote
            # stays written, and the next run goes on from there.
            raise ProcessError(f"a process worker stopped ({error}): run process again, "
                               "with fewer --workers if memory is short") from error
        if worker_version != version:
            raise ProcessError(f"a worker loaded pipeline {worker_version}, not {version}")
        return chunk, results

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
