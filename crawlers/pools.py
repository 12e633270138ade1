"""Worker pools that end with the process that started them (#17).

A `ProcessPoolExecutor`'s worker waits on its task queue's pipe, and holds both of its ends:
when the process that started it is killed, the pipe never closes and the worker waits for
ever (a feed parser, an NLP worker with its pipeline loaded, an extraction worker). These
workers watch their parent instead and leave when it is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

# How often a worker looks whether the process that started it is still there.
PARENT_CHECK_S = 0.5


def spawned_pool(workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """`workers` spawned processes (a fresh interpreter inherits no open SQLite connection,
    threads or locks) that end with this one; `initializer(*initargs)` starts each."""
    return _ending_with_this_one("spawn", workers, initializer, initargs)


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` forked processes that end with this one: they share what it has loaded
    (extraction's language classifier, 0.7 s to load in each), so start them before opening
    anything they must not inherit."""
    return _ending_with_this_one("fork", workers, None, ())


def _ending_with_this_one(start: str, workers: int, initializer: Callable[..., None] | None,
                          initargs: tuple[Any, ...]) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start),
                               initializer=_start_ending_with,
                               initargs=(os.getpid(), initializer, initargs))


def _start_ending_with(parent: int, initializer: Callable[..., None] | None,
                       initargs: tuple[Any, ...]) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)
    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)
