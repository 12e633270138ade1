"""The analysis of chunks of articles by NLP workers anywhere, through RQ on the broker's Redis:
`process` in distributed mode (#18).

Why RQ rather than Dask distributed or Ray: it runs on the Redis the distributed crawl uses
already, so there is no second service to run; a job is a call of a module's function, which
goes over the wire as JSON (`JSONSerializer`: nothing is pickled); and it is pure Python. A
worker is an `rq.SimpleWorker`, which runs each job in the worker's own process, so the
pipeline it loads once before listening stays loaded and warm; RQ's forking `Worker` would
run each job in a new child, whose writes to reference counts copy the pipeline's ~230 MB
page by page.

The writer (`process`) stays the one process that writes SQLite, and SQLite stays the truth: a
chunk counts as processed only once the writer has written its outcomes, in chunk order, so a
stopped run goes on from there. A job is a lease on its chunk: one that failed, vanished or
outlived the lease is enqueued again, at the front, and the first attempt to finish is the one
written (a later one is never read). Every command to Redis waits out a restart.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from rq import Queue, SimpleWorker, Worker
from rq.job import Job, JobStatus
from rq.results import Result
from rq.serializers import JSONSerializer

from launchwire.errors import BrokerError, ProcessError
from launchwire.settings import Settings, load_settings
from launchwire.workers import (Outcome, analyse_with_own_pipeline, has_own_pipeline,
                                load_own_pipeline, pipeline_loader)

logger = logging.getLogger(__name__)

QUEUE = "launchwire:nlp"
# Each command is tried again for about a minute (waits of 0.05 s doubling up to 2 s): a
# restarted Redis is back well within it, and writer and workers carry on where they were.
BROKER_RETRY_WAIT = (0.05, 2.0)
BROKER_RETRIES = 35
ATTEMPTS = 4  # leases a chunk is given before the run stops with an error
POLL_SECONDS = 0.05
RESULT_TTL = 3600  # the writer deletes what it read; this is for what a stopped one did not
LIVE = {JobStatus.QUEUED, JobStatus.STARTED}


def connect_broker(url: str) -> redis.Redis:
    base, cap = BROKER_RETRY_WAIT
    return redis.Redis.from_url(url, retry=Retry(ExponentialBackoff(cap=cap, base=base),
                                                 BROKER_RETRIES))


@contextlib.contextmanager
def broker_errors(url: str) -> Iterator[None]:
    """A broker that stays unreachable past the retries becomes one line for the user."""
    try:
        yield
    except redis.ConnectionError as error:
        raise BrokerError(f"the broker {url} did not answer ({error})") from error


def nlp_queue(connection: redis.Redis) -> Queue:
    return Queue(QUEUE, connection=connection, serializer=JSONSerializer)


def analyse_chunk(chunk: list[dict], batch_size: int) -> dict[str, Any]:
    """The RQ job: a chunk's outcomes, and the version of the pipeline that found them.

    chunk (list[dict]): articles as `store.articles_to_process` reads them (JSON-able: ids,
        texts, and `published` stored as ISO text).
    RETURNS (dict): "version" (str) and "outcomes", a record or a reason per article.
    """
    if not has_own_pipeline():  # run by a plain `rq worker`, not by `launchwire worker nlp`
        load_own_pipeline(pipeline_loader(load_settings()))
    version, outcomes = analyse_with_own_pipeline(chunk, batch_size)
    return {"version": version, "outcomes": outcomes}


def run_worker(settings: Settings, burst: bool = False,
               on_ready: Callable[[str], None] | None = None) -> None:
    """Load the settings' pipeline, then analyse the queue's chunks until stopped.

    burst (bool): stop once the queue is empty.
    on_ready (Callable | None): called with the pipeline's version once it is loaded.
    """
    version = load_own_pipeline(pipeline_loader(settings))
    if on_ready:
        on_ready(version)
    connection = connect_broker(settings.redis_url or "")
    with broker_errors(settings.redis_url or ""):
        # Registered, so that the writer counts it, only now that its pipeline is loaded.
        worker = SimpleWorker([nlp_queue(connection)], connection=connection,
                              serializer=JSONSerializer)
        worker.work(burst=burst, logging_level="WARNING")


@dataclass
class _Chunk:
    rows: list[dict]
    attempts: list[str] = field(default_factory=list)  # its jobs' ids, the latest last
    leased_at: float = 0.0  # when the latest was enqueued (monotonic)
    result: dict | None = None


class ClusterWorkers:
    """The NLP workers listening on the broker, as the writer sees them (`Analysers`).

    url (str): the broker, redis://host:port/db.
    lease (float): seconds a worker has to analyse a chunk (and RQ's job timeout).
    """

    def __init__(self, url: str, lease: float) -> None:
        self.url = url
        self.lease = lease
        self._connection = connect_broker(url)
        self._queue = nlp_queue(self._connection)
        self._in_flight: deque[_Chunk] = deque()

    def analyse(self, chunks: Iterable[list[dict]], batch_size: int,
                version: str) -> Iterator[tuple[list[dict], list[Outcome]]]:
        """See `Analysers.analyse`; the window is set by the workers listening at the first
        chunk (a registered worker that died meanwhile is counted until RQ forgets it)."""
        window = 0
        with broker_errors(self.url):
            for rows in chunks:
                window = window or 2 * self._listening()
                self._in_flight.append(self._enqueue(_Chunk(rows), batch_size))
                if len(self._in_flight) >= window:
                    yield self._next(batch_size, version)
            while self._in_flight:
                yield self._next(batch_size, version)

    def _listening(self) -> int:
        count = Worker.count(connection=self._connection, queue=self._queue)
        if not count:
            raise ProcessError(f"no NLP worker listens on {self.url}: start some with "
                               f"`launchwire worker nlp --cluster {self.url}`")
        return count

    def _enqueue(self, chunk: _Chunk, batch_size: int, again: bool = False) -> _Chunk:
        # A chunk enqueued again goes first: the writer waits for it before any later one.
        job = self._queue.enqueue_call(
            analyse_chunk, args=[chunk.rows, batch_size], timeout=math.ceil(self.lease),
            result_ttl=RESULT_TTL, failure_ttl=RESULT_TTL, at_front=again,
            description=f"articles {chunk.rows[0]['id']}-{chunk.rows[-1]['id']}")
        chunk.attempts.append(job.id)
        chunk.leased_at = time.monotonic()
        return chunk

    def _next(self, batch_size: int, version: str) -> tuple[list[dict], list[Outcome]]:
        """The oldest chunk in flight, once analysed; meanwhile every chunk in flight whose
        job failed, vanished or outlived its lease is enqueued again."""
        head = self._in_flight[0]
        while head.result is None:
            for chunk in self._in_flight:
                self._check(chunk, batch_size)
            if head.result is None:
                time.sleep(POLL_SECONDS)
        self._in_flight.popleft()
        self._forget(head)
        if head.result["version"] != version:
            raise ProcessError(f"an NLP worker loaded pipeline {head.result['version']}, "
                               f"not {version}")
        return head.rows, head.result["outcomes"]

    def _check(self, chunk: _Chunk, batch_size: int) -> None:
        if chunk.result is not None:
            return
        jobs = [job for job in Job.fetch_many(chunk.attempts, connection=self._connection,
                                              serializer=JSONSerializer) if job is not None]
        for job in jobs:
            if job.get_status(refresh=False) == JobStatus.FINISHED:
                chunk.result = job.return_value()
                if chunk.result is not None:
                    return
        live = [job for job in jobs if job.get_status(refresh=False) in LIVE]
        if live and time.monotonic() - chunk.leased_at < self.lease:
            return
        if len(chunk.attempts) >= ATTEMPTS:
            raise ProcessError(
                f"articles {chunk.rows[0]['id']}-{chunk.rows[-1]['id']}: no NLP worker on "
                f"{self.url} analysed them in {ATTEMPTS} leases of {self.lease:g} s "
                f"(last: {_failure(jobs)}); what was written stays, run process again")
        logger.warning("articles %s-%s: enqueued again (%s)", chunk.rows[0]["id"],
                       chunk.rows[-1]["id"], _failure(jobs))
        for job in live:  # a started one may still finish first: it is not taken back
            if job.get_status(refresh=False) == JobStatus.QUEUED:
                self._queue.remove(job)
        self._enqueue(chunk, batch_size, again=True)

    def _forget(self, chunk: _Chunk) -> None:
        """Delete a chunk's jobs, their texts and results: the writer has what it needs."""
        for job in Job.fetch_many(chunk.attempts, connection=self._connection,
                                  serializer=JSONSerializer):
            if job is not None:
                job.delete(remove_from_queue=True)
                Result.delete_all(job)

    def close(self) -> None:
        """Take back the chunks still in flight (Ctrl-C, an error): no worker wastes time on
        them, and the next run reads them again from SQLite."""
        while self._in_flight:
            self._forget(self._in_flight.popleft())

    def __enter__(self) -> ClusterWorkers:
        return self

    def __exit__(self, error_type: type | None, *exc_info: object) -> None:
        if error_type is BrokerError:
            return  # a broker that did not answer would not now: nothing to take back
        with broker_errors(self.url):
            self.close()


def _failure(jobs: list[Job]) -> str:
    """What became of a chunk's latest job, in a few words."""
    if not jobs:
        return "its job vanished from the broker"
    latest = jobs[-1]
    status = latest.get_status(refresh=False)
    if status == JobStatus.FAILED and latest.exc_info:
        return f"failed: {latest.exc_info.strip().splitlines()[-1]}"
    return f"{status.value}, lease over" if status in LIVE else str(status.value)
