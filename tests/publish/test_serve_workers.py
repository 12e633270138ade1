"""`serve --workers N` (#17): the site answers from N processes and leaves none behind."""

from __future__ import annotations

import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.publish.served import ServedSite, served
from tests.publish.stories import story_db

pytestmark = pytest.mark.slow


def _busy_pids(site: ServedSite, before: dict[int, float]) -> list[int]:
    """Processes under the server that used CPU since `before` (pid: CPU seconds)."""
    now = site.cpu_by_pid()
    return [pid for pid, seconds in now.items() if seconds - before.get(pid, 0.0) > 0.05]


def test_two_workers_share_the_requests_and_stop_with_the_server(tmp_path: Path) -> None:
    path = story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo")
    with served(path, "--workers", "2") as site:
        pages = [site.base + page for page in ("/", f"/{path.stem}/launches", "/-/search?q=kivo")]
        before = site.cpu_by_pid()
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda url: urllib.request.urlopen(url, timeout=30).read(),
                                    pages * 40))
        assert all(b"AI companion" in answer for answer in answers)
        busy = [pid for pid in _busy_pids(site, before) if pid != site.process.pid]
        assert len(busy) == 2, site.cpu_by_pid()
        workers = site.worker_pids()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


async def test_a_worker_hides_what_its_first_answer_left_from_the_collector(
        tmp_path: Path) -> None:
    import gc

    import httpx

    from publish.site import frozen_after_first_answer, make_datasette

    path = story_db(tmp_path / "site.db", "Kivo launches an AI companion", "Kivo")
    app = frozen_after_first_answer(make_datasette(path).app())
    gc.unfreeze()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://localhost") as client:
            assert (await client.get(f"/{path.stem}/launches")).status_code == 200
            frozen = gc.get_freeze_count()
            assert frozen > 1000  # the modules, the site and its compiled templates
            assert (await client.get("/")).status_code == 200
            # Once: what later answers make stays collectable (frozen objects only leave).
            assert gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
