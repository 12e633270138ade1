"""Small databases of hand-made launch stories, for tests of what the site does with hostile
names, titles and URLs."""

from __future__ import annotations

from pathlib import Path

from db import connect, store
from launchwire.stages import cluster_launches

SOURCE = "Example & Co"


def add_story(db_path: Path, title: str, name: str, url: str = "https://news.example/a?x=1&y=2",
              published: str = "2026-01-05", text: str | None = None) -> None:
    """One article whose one launch fact is `name` launching "`name` App", clustered.

    db_path (Path): the database, created when missing.
    title (str): the article's title, summary and launch summary.
    name (str): the company; the product is "<name> App".
    url (str): the article's URL.
    published (str): its day.
    text (str): its text, the launch fact's sentence (default: "<name> launched <name> App today.").
    """
    db = connect(db_path)
    store.upsert_source(db, {"name": SOURCE, "homepage": "https://news.example/"})
    text = text or f"{name} launched {name} App today."
    article = store.insert_article(db, {"url": url, "source": SOURCE, "title": title, "text": text,
                                        "published": f"{published}T09:00:00+00:00",
                                        "fetched_at": f"{published}T10:00:00+00:00"})
    fact = {"company": name, "product": f"{name} App", "product_label": "APP", "about": True,
            "modality": "launched", "date": published, "sentence": text, "start": 0,
            "end": len(text)}
    store.save_analysis(db, article, {"entities": [], "metrics": [], "launches": [fact],
                                      "launch_facts": [fact], "summary": title,
                                      "summary_sentences": [title], "kind": "launch"}, "v1")
    cluster_launches(db)
    store.prepare_for_serving(db)


def story_db(path: Path, title: str, name: str, **story: str) -> Path:
    """A database at `path` holding one story (see add_story)."""
    add_story(path, title, name, **story)
    return path
