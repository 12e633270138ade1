"""Searches and facets take turns (#12): a few clients searching for a word in every article
can no longer hold all of Datasette's SQL threads."""

from __future__ import annotations

import asyncio

import pytest

from publish.gate import Gate, is_costly


async def test_at_most_two_run_at_once_and_the_queue_is_bounded() -> None:
    gate, release = Gate(running=2, waiting=3), asyncio.Event()
    inside, peak, answers = 0, 0, []

    async def search() -> None:
        nonlocal inside, peak
        async with gate.turn() as admitted:
            answers.append(admitted)
            if admitted:
                inside += 1
                peak = max(peak, inside)
                await release.wait()
                inside -= 1

    tasks = [asyncio.create_task(search()) for _ in range(7)]
    await asyncio.sleep(0.05)
    assert sorted(answers) == [False, False, True, True]  # two running, three queued, two sent away
    release.set()
    await asyncio.gather(*tasks)
    assert answers.count(True) == 5 and peak == 2


@pytest.mark.parametrize(("query", "costly"), [
    (b"_search=new", True), (b"_search_title=new", True), (b"q=new", True), (b"a=1&q=x", True),
    (b"_facet=source", True), (b"_facet_array=tags", True), (b"_search=", False), (b"q=", False),
    (b"", False), (b"_size=5", False), (b"seq=1", False), (b"_sort=published", False),
])
def test_what_takes_a_turn(query: bytes, costly: bool) -> None:
    assert is_costly(query) is costly
