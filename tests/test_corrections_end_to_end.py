"""A newsroom corrects the demo's two errors with `launchwire correct`, everything is
re-processed and re-clustered, and the corrections hold and are shown (#16)."""

from __future__ import annotations

import shutil
from pathlib import Path

import atoma
import pytest
import sqlite_utils

from publish.site import make_datasette
from tests.conftest import run_launchwire

pytestmark = pytest.mark.slow

PHONE_NOTE = "Nothing makes the Phone (1); OnePlus is only where its founder Carl Pei came from"
# The sample site's Quillo articles name its maker: "Ferrowave Labs launches Quillo".
QUILLO_NOTE = "Quillo is Ferrowave Labs' app, as every article about its launch says"


def _story(db: sqlite_utils.Database, product: str) -> dict:
    return next(db.query("""
        select l.*, c.name as company from launches l join entities p on p.id = l.product_id
        left join entities c on c.id = l.company_id where p.name = ?""", [product]))


def _launchwire(*args: str) -> str:
    result = run_launchwire(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def corrected_db(crawled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the crawled sample site, the two errors corrected, then every article
    re-processed (as a new model would) and re-clustered, and the site published."""
    path = tmp_path_factory.mktemp("corrected") / "launchwire.db"
    shutil.copy(crawled_db, path)  # `publish` folded the WAL into the file
    db = sqlite_utils.Database(path)
    phone, quillo = _story(db, "Phone (1)"), _story(db, "Quillo")
    _launchwire("correct", "company", phone["story_key"], "Nothing", "--note", PHONE_NOTE,
                "--date", "2026-12-01", "--db", str(path))
    _launchwire("correct", "company", quillo["story_key"], "Ferrowave Labs",
                "--note", QUILLO_NOTE, "--db", str(path))
    # A different pipeline version: `process` reads every article again from scratch.
    db.execute("update articles set processed_by = 'an older model'")
    db.conn.commit()
    db.close()
    assert "42 article(s) analysed" in " ".join(_launchwire("process", "--db", str(path)).split())
    _launchwire("cluster", "--db", str(path))
    _launchwire("publish", "--db", str(path))
    return path


def test_the_corrections_are_written_beside_the_database(corrected_db: Path) -> None:
    listed = _launchwire("correct", "list", "--db", str(corrected_db))
    assert "company set to Nothing" in listed and "company set to Ferrowave Labs" in listed
    written = (corrected_db.parent / "corrections.toml").read_text(encoding="utf-8")
    assert written.splitlines().count("[[correction]]") == 2


def test_corrections_hold_after_everything_is_processed_and_placed_again(
        corrected_db: Path) -> None:
    db = sqlite_utils.Database(corrected_db)
    phone, quillo = _story(db, "Phone (1)"), _story(db, "Quillo")
    assert phone["company"] == "Nothing" and quillo["company"] == "Ferrowave Labs"
    assert phone["corrected_on"] == "2026-12-01"
    assert db.execute("select count(*) from articles where clustered_at is null or "
                      "processed_by = 'an older model'").fetchone()[0] == 0
    # A second cluster run with nothing new keeps them as they are.
    _launchwire("cluster", "--db", str(corrected_db))
    assert _story(db, "Phone (1)")["company"] == "Nothing"


async def test_the_launch_page_and_feed_say_what_was_corrected_and_when(
        corrected_db: Path) -> None:
    db = sqlite_utils.Database(corrected_db)
    phone = _story(db, "Phone (1)")
    datasette = make_datasette(corrected_db)
    page = (await datasette.client.get(f"/-/launch/{phone['story_key']}")).text
    assert "<h2>Corrections</h2>" in page
    assert '<time datetime="2026-12-01">2026-12-01</time> · company set to Nothing' in page
    assert PHONE_NOTE in page and "by <a" in page and ">Nothing</a>" in page
    feed = atoma.parse_atom_bytes((await datasette.client.get("/-/feeds/launches.atom")).content)
    entry = next(e for e in feed.entries if e.id_.endswith(f":launch:{phone['story_key']}"))
    assert entry.updated.date().isoformat() == "2026-12-01"
    assert "Corrected 2026-12-01: company set to Nothing" in entry.content.value
