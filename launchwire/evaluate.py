"""Launch stories scored against the team's gold set, through the real stages.

    launchwire evaluate stories [--json] [--errors]

The articles of `tests/data/stories_dev.jsonl` go into a fresh SQLite file a day at a time,
as a crawl would bring them; each day is processed and clustered before the next arrives,
so the incremental path is the one measured. Clustering is scored pairwise (nlp.scoring).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import connect, store
from launchwire import stages
from launchwire.evaluate_team import STORIES_SET, load_set
from launchwire.settings import load_settings
from nlp.scoring import Score, pairwise


@dataclass
class StoryScores:
    pairs: Score
    gold_stories: int
    found_stories: int
    articles: int
    # Articles about no launch that were put in a story, and launch articles left out.
    strays: int
    missed: int

    def as_dict(self) -> dict[str, Any]:
        return {**self.pairs.as_dict(), "gold_stories": self.gold_stories,
                "found_stories": self.found_stories, "articles": self.articles,
                "strays": self.strays, "missed": self.missed}


def cluster_day_by_day(articles: list[dict], db_path: Path, pipeline: Any,
                       by_day: bool = True) -> dict[str, str | None]:
    """Store, process and cluster the articles one publication day at a time (or, with
    `by_day=False`, all at once).

    RETURNS (dict): each article's id in the set → its launch's story key (None: no story).
    """
    settings = load_settings({"db": str(db_path)})
    db = connect(db_path)
    days: dict[str, list[dict]] = {}
    for article in sorted(articles, key=lambda a: a["published"]):
        days.setdefault(article["published"][:10] if by_day else "all", []).append(article)
    for day_articles in days.values():
        for article in day_articles:
            store.upsert_source(db, {"name": article["outlet"],
                                     "homepage": article["url"].split("/", 3)[:3][-1]})
            store.insert_article(db, {
                "url": article["url"], "source": article["outlet"], "title": article["title"],
                "text": article["text"], "published": article["published"],
                "fetched_at": article["published"]})
        stages.process(settings, pipeline=pipeline)
        stages.cluster_launches(db)
    found = {row["url"]: row["story_key"] for row in db.query("""
        select a.url, l.story_key from articles a
        left join launch_articles la on la.article_id = a.id
        left join launches l on l.id = la.launch_id""")}
    return {article["id"]: found.get(article["url"]) for article in articles}


def evaluate_stories(pipeline: Any, path: Path = STORIES_SET) -> tuple[StoryScores, dict]:
    articles = load_set(path)
    with tempfile.TemporaryDirectory() as folder:
        predicted = cluster_day_by_day(articles, Path(folder) / "stories.db", pipeline)
    gold = {article["id"]: article["story"] for article in articles}
    scores = StoryScores(
        pairwise(gold, predicted), len({g for g in gold.values() if g}),
        len({p for p in predicted.values() if p}), len(articles),
        sum(1 for i in gold if gold[i] is None and predicted[i] is not None),
        sum(1 for i in gold if gold[i] is not None and predicted[i] is None))
    return scores, predicted


def report(model_name: str, as_json: bool = False, errors: bool = False) -> None:
    """Score the stories and print the figures (a table or JSON), and with `errors` the
    stories split or joined."""
    from rich.console import Console
    from rich.table import Table

    from nlp.pipeline import load_nlp

    scores, predicted = evaluate_stories(load_nlp(model_name))
    if as_json:
        print(json.dumps({"stories": scores.as_dict()}, indent=2))
    else:
        table = Table(title=f"launch stories on {STORIES_SET.name} (pairwise)")
        for column in ("articles", "gold stories", "found", "P", "R", "F1", "strays", "missed"):
            table.add_column(column, justify="right")
        table.add_row(str(scores.articles), str(scores.gold_stories), str(scores.found_stories),
                      f"{scores.pairs.precision:.3f}", f"{scores.pairs.recall:.3f}",
                      f"{scores.pairs.f1:.3f}", str(scores.strays), str(scores.missed))
        Console().print(table)
    if errors:
        articles = {a["id"]: a for a in load_set(STORIES_SET)}
        for story in sorted({a["story"] for a in articles.values() if a["story"]}):
            found = sorted({str(predicted[i]) for i, a in articles.items() if a["story"] == story})
            if len(found) > 1 or found == ["None"]:
                print(f"SPLIT {story}: {found}")
        for key in sorted({p for p in predicted.values() if p}):
            gold = sorted({str(articles[i]["story"]) for i, p in predicted.items() if p == key})
            if len(gold) > 1:
                print(f"JOINED {key}: {gold}")
