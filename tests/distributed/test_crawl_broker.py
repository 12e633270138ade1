"""The distributed crawl's moves in Redis (#18): one worker per host, a task taken moves to
`taken` and leaves it with its answer, a dead worker's tasks are queued again first."""

from __future__ import annotations

from crawlers.cluster.broker import MOST_ANSWERS_WAITING, PREFIX, WorkerBroker, WriterBroker
from crawlers.cluster.wire import Task

HOST = "news.test"


def _queued(redis_server, count: int) -> list[bytes]:
    """A fresh run with `count` tasks for HOST; RETURNS them as queued."""
    writer = WriterBroker(redis_server.url)
    writer.reset("run")
    tasks = [Task(key=f"entry http://{HOST}/{n}", kind="entry", url=f"http://{HOST}/{n}",
                  source={"name": "news"}) for n in range(count)]
    writer.push(tasks)
    return [task.dumps().encode() for task in tasks]


async def test_one_worker_holds_a_host_and_a_dead_ones_tasks_go_first(redis_server) -> None:
    tasks = _queued(redis_server, 3)
    first, second = (WorkerBroker(redis_server.url, name) for name in ("first", "second"))
    assert await first.acquire() == HOST
    assert await second.acquire() is None
    assert await first.take(HOST) == tasks[0]
    assert await second.take(HOST) is None  # no lease, no task

    redis_server.client().delete(f"{PREFIX}lease:{HOST}")  # as when `first` died unrenewed
    assert await second.acquire() == HOST
    assert await first.renew([HOST]) == [HOST]
    assert await first.settle(HOST, 0) == "lost"
    assert [await second.take(HOST) for _ in range(4)] == [*tasks, None]


async def test_an_answer_leaves_taken_and_a_done_host_is_let_go(redis_server) -> None:
    [task] = _queued(redis_server, 1)
    worker = WorkerBroker(redis_server.url, "worker")
    assert await worker.acquire() == HOST
    assert await worker.take(HOST) == task
    assert await worker.settle(HOST, 1) == "kept"
    await worker.answer(HOST, task, '{"task": "answered"}')
    assert await worker.settle(HOST, 0) == "released"
    assert WriterBroker(redis_server.url).answers(10) == [b'{"task": "answered"}']
    client = redis_server.client()
    assert not client.exists(f"{PREFIX}lease:{HOST}", f"{PREFIX}taken:{HOST}")
    assert client.smembers(PREFIX + "hosts") == set()


async def test_a_task_lost_on_the_way_is_queued_again(redis_server) -> None:
    # A command retried after a dropped connection can move a task the worker never saw.
    [task] = _queued(redis_server, 1)
    worker = WorkerBroker(redis_server.url, "worker")
    await worker.acquire()
    await worker.take(HOST)
    assert await worker.settle(HOST, 0) == "kept"
    assert await worker.take(HOST) == task


async def test_a_worker_that_stops_lets_its_hosts_go_at_once(redis_server) -> None:
    tasks = _queued(redis_server, 2)
    stopping, other = (WorkerBroker(redis_server.url, name) for name in ("stopping", "other"))
    await stopping.acquire()
    await stopping.take(HOST)
    await stopping.give_up([HOST])
    assert await other.acquire() == HOST
    assert [await other.take(HOST) for _ in range(3)] == [*tasks, None]


async def test_workers_wait_while_the_writer_has_enough_to_store(redis_server) -> None:
    [task] = _queued(redis_server, 1)
    redis_server.client().rpush(PREFIX + "answers", *["{}"] * MOST_ANSWERS_WAITING)
    worker = WorkerBroker(redis_server.url, "worker")
    await worker.acquire()
    assert await worker.take(HOST) is None
    WriterBroker(redis_server.url).done_with(1)
    assert await worker.take(HOST) == task
