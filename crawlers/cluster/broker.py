"""The distributed crawl's state in Redis (#18), and the few atomic moves made on it.

Keys, under PREFIX:
  hosts            set: hosts with tasks queued or taken
  queue:<host>     list: tasks (crawlers.cluster.wire.Task JSON) waiting for that host
  taken:<host>     list: tasks a worker has taken and not yet answered
  lease:<host>     the worker crawling that host, with a TTL it renews while it lives
  answers          list: answers for the writer, the only reader
  run              the writer's run id: gone means the broker lost its data

One worker holds a host's lease at a time, so Scrapy's per-slot limits in that worker (its
concurrency per domain, delay, robots.txt, Retry-After waits) hold across the cluster. A task
moves from queue to taken atomically and leaves taken in the transaction that pushes its
answer; a worker that dies leaves its tasks in taken and its lease to expire, and the next
worker to take the host puts them back at the head of the queue. Every move is a Lua script
or a MULTI, so no crash between two commands loses or doubles a task. The scripts name keys
they were not given: a single Redis, not Redis Cluster.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable, TypeVar

import redis
import redis.asyncio

from crawlers.cluster.wire import Task

logger = logging.getLogger(__name__)

PREFIX = "launchwire:crawl:"
LEASE_MS = 10_000  # a killed worker's hosts are crawled again after this
RENEW_S = 2.0
# How long a process waits for the broker to come back (a restart) before it gives up.
BROKER_DOWN_S = 120.0
BROKER_ERRORS = (redis.ConnectionError, redis.TimeoutError)
# Answers (page bodies) waiting for the writer, past which workers take no more tasks: a
# writer slower than its workers must not fill the broker's memory.
MOST_ANSWERS_WAITING = 2000

T = TypeVar("T")

_MOVE_BACK = """
local function move_back(taken, queue)
  while redis.call('LMOVE', taken, queue, 'RIGHT', 'LEFT') do end
end
"""
# ARGV: prefix, worker, ttl ms. RETURNS the host leased, or nil.
ACQUIRE = _MOVE_BACK + """
local p = ARGV[1]
for _, host in ipairs(redis.call('SMEMBERS', p .. 'hosts')) do
  local lease, queue, taken = p .. 'lease:' .. host, p .. 'queue:' .. host, p .. 'taken:' .. host
  if redis.call('EXISTS', lease) == 0
      and (redis.call('LLEN', queue) > 0 or redis.call('LLEN', taken) > 0) then
    redis.call('SET', lease, ARGV[2], 'PX', ARGV[3])
    move_back(taken, queue)  -- what a lost worker had taken goes first
    return host
  end
end
return nil
"""
# ARGV: prefix, worker, host, most answers waiting. RETURNS the next task, or nil (none,
# the lease is lost, or the writer has enough to store for now).
TAKE = """
local p, host = ARGV[1], ARGV[3]
if redis.call('GET', p .. 'lease:' .. host) ~= ARGV[2] then return nil end
if redis.call('LLEN', p .. 'answers') >= tonumber(ARGV[4]) then return nil end
return redis.call('LMOVE', p .. 'queue:' .. host, p .. 'taken:' .. host, 'LEFT', 'RIGHT')
"""
# ARGV: prefix, worker, ttl ms, host... RETURNS the hosts whose lease this worker has lost.
RENEW = """
local lost = {}
for i = 4, #ARGV do
  local lease = ARGV[1] .. 'lease:' .. ARGV[i]
  if redis.call('GET', lease) == ARGV[2] then
    redis.call('PEXPIRE', lease, ARGV[3])
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
"""
# ARGV: prefix, worker, host, tasks of that host the worker has not answered yet.
# With none unanswered, anything in taken was lost on the way (a command retried after a
# dropped connection) and is queued again; with nothing queued either, the host is let go.
SETTLE = _MOVE_BACK + """
local p, host = ARGV[1], ARGV[3]
local lease, queue, taken = p .. 'lease:' .. host, p .. 'queue:' .. host, p .. 'taken:' .. host
if redis.call('GET', lease) ~= ARGV[2] then return 'lost' end
if tonumber(ARGV[4]) > 0 then return 'kept' end
move_back(taken, queue)
if redis.call('LLEN', queue) > 0 then return 'kept' end
redis.call('DEL', lease)
redis.call('SREM', p .. 'hosts', host)
return 'released'
"""

# ARGV: prefix, worker, host... A worker that stops lets its hosts go at once, their
# unanswered tasks queued again, rather than after its leases expire.
GIVE_UP = _MOVE_BACK + """
local p = ARGV[1]
for i = 3, #ARGV do
  local host = ARGV[i]
  if redis.call('GET', p .. 'lease:' .. host) == ARGV[2] then
    move_back(p .. 'taken:' .. host, p .. 'queue:' .. host)
    redis.call('DEL', p .. 'lease:' .. host)
  end
end
return 0
"""


def _client_options() -> dict[str, Any]:
    # Our own retry loops (below) decide how long to wait; the client fails fast.
    return {"socket_timeout": 10, "socket_connect_timeout": 2, "health_check_interval": 5}


def retrying(call: Callable[[], T]) -> T:
    """`call()`, again while the broker is unreachable, up to BROKER_DOWN_S."""
    deadline = time.monotonic() + BROKER_DOWN_S
    while True:
        try:
            return call()
        except BROKER_ERRORS as error:
            if time.monotonic() > deadline:
                raise
            logger.warning("broker unreachable, retrying: %s", error)
            time.sleep(0.2)


async def retrying_async(call: Callable[[], Awaitable[T]]) -> T:
    """`await call()`, again while the broker is unreachable, up to BROKER_DOWN_S."""
    deadline = time.monotonic() + BROKER_DOWN_S
    while True:
        try:
            return await call()
        except BROKER_ERRORS as error:
            if time.monotonic() > deadline:
                raise
            logger.warning("broker unreachable, retrying: %s", error)
            await asyncio.sleep(0.2)


class WriterBroker:
    """The writer's side: it queues tasks and reads answers (blocking calls: no reactor)."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, **_client_options())

    def check(self) -> None:
        """Fail at once, not after BROKER_DOWN_S, when the broker is not there at all."""
        self.client.ping()

    def reset(self, run_id: str) -> None:
        """Start a run: whatever an earlier writer left is dropped (its truth is SQLite)."""
        def reset() -> None:
            # Leases stay: a worker still fetching keeps its host until it lets it go.
            keys = [key for key in self.client.scan_iter(match=PREFIX + "*", count=1000)
                    if not key.startswith(f"{PREFIX}lease:".encode())]
            if keys:
                self.client.delete(*keys)
            self.client.set(PREFIX + "run", run_id)
        retrying(reset)

    def alive(self, run_id: str) -> bool:
        """False when the broker has lost this run (restarted without its data)."""
        return retrying(lambda: self.client.get(PREFIX + "run")) == run_id.encode()

    def push(self, tasks: list[Task]) -> None:
        if not tasks:
            return
        def push() -> None:
            with self.client.pipeline(transaction=True) as pipe:
                for task in tasks:
                    pipe.rpush(f"{PREFIX}queue:{task.host}", task.dumps())
                    pipe.sadd(PREFIX + "hosts", task.host)
                pipe.execute()
        retrying(push)

    def answers(self, most: int) -> list[bytes]:
        """The oldest answers, left in Redis until `done_with` them: a writer killed while
        storing them finds them again."""
        return retrying(lambda: self.client.lrange(PREFIX + "answers", 0, most - 1))

    def done_with(self, count: int) -> None:
        retrying(lambda: self.client.ltrim(PREFIX + "answers", count, -1))

    def finish(self) -> None:
        """The run is over: nothing of it stays queued for a worker."""
        self.reset("")
        retrying(lambda: self.client.delete(PREFIX + "run"))


class WorkerBroker:
    """A crawl worker's side, on asyncio (Scrapy's reactor): no blocking call on it."""

    def __init__(self, url: str, worker: str) -> None:
        self.client = redis.asyncio.Redis.from_url(url, **_client_options())
        self.worker = worker
        self.scripts = {name: self.client.register_script(text) for name, text in
                        (("acquire", ACQUIRE), ("take", TAKE), ("renew", RENEW),
                         ("settle", SETTLE), ("give_up", GIVE_UP))}

    async def _run(self, name: str, *args: Any) -> Any:
        # Script objects load themselves again after a restart emptied the script cache.
        return await retrying_async(
            lambda: self.scripts[name](args=[PREFIX, self.worker, *args]))

    async def acquire(self) -> str | None:
        """Lease a host with work that no live worker holds; RETURNS it, or None."""
        host = await self._run("acquire", LEASE_MS)
        return host.decode() if host is not None else None

    async def take(self, host: str) -> bytes | None:
        """The next task of a host this worker holds (None: none, or the lease is lost)."""
        return await self._run("take", host, MOST_ANSWERS_WAITING)

    async def renew(self, hosts: list[str]) -> list[str]:
        """Renew these hosts' leases; RETURNS those lost (expired and taken by another)."""
        if not hosts:
            return []
        return [host.decode() for host in await self._run("renew", LEASE_MS, *hosts)]

    async def settle(self, host: str, unanswered: int) -> str:
        """"released" when the host has nothing left and is let go, "lost", or "kept"."""
        return (await self._run("settle", host, unanswered)).decode()

    async def give_up(self, hosts: list[str]) -> None:
        """Let these hosts go now, what was taken of them and not answered queued again."""
        if hosts:
            await self._run("give_up", *hosts)

    async def answer(self, host: str, task: bytes, answer: str) -> None:
        """Hand the writer a task's answer and drop the task from taken, together."""
        async def answer_() -> None:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.rpush(PREFIX + "answers", answer)
                pipe.lrem(f"{PREFIX}taken:{host}", 1, task)
                await pipe.execute()
        await retrying_async(answer_)

    async def close(self) -> None:
        await self.client.aclose()
