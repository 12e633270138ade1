"""What crosses Redis, as JSON and never pickle (#18): a task (one request to make) from the
writer, an answer (everything one task's response made) from a worker.

Pickle on the wire lets whoever can write to the broker run code in every process reading
it (scrapy-redis pickles its requests); JSON carries data only. Bytes and datetimes, which
JSON lacks, travel as tagged objects.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from crawlers.items import DocumentFailed, DocumentRead, EntryFailed, Fetched, Page

ITEMS = {cls.__name__: cls for cls in (Page, Fetched, EntryFailed, DocumentRead, DocumentFailed)}


def host_of(url: str) -> str:
    """The host a URL's request is counted against: Scrapy's download slot is its host name,
    without the port, so politeness per host in Redis matches politeness per slot."""
    return (urlsplit(url).hostname or "").lower()


@dataclass
class Task:
    """One request for a worker to make.

    key: what the writer tracks it by ("entry <url>" or "<kind> <url>"); one answer counts.
    kind: "entry" (an article page), "feed" or "sitemap".
    source: the source's dict (crawlers.sources.Source.to_dict): a worker reads no sources
        file, and its private origins come with it.
    """

    key: str
    kind: str
    url: str
    source: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    entry: dict[str, Any] = field(default_factory=dict)  # an entry's frontier row (its hints)
    document_url: str | None = None  # a child sitemap's top-level document
    child: bool = False

    @property
    def host(self) -> str:
        return host_of(self.url)

    def dumps(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def loads(cls, text: str | bytes) -> "Task":
        return cls(**json.loads(text))


def _tagged(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dict):
        return {key: _tagged(each) for key, each in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tagged(each) for each in value]
    return value


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        if value.keys() == {"$bytes"}:
            return base64.b64decode(value["$bytes"])
        if value.keys() == {"$datetime"}:
            return datetime.fromisoformat(value["$datetime"])
        return {key: _untagged(each) for key, each in value.items()}
    if isinstance(value, list):
        return [_untagged(each) for each in value]
    return value


def dump_answer(task_key: str, items: list[Any], tasks: list[Task]) -> str:
    """One task's answer: its items, and the requests its response led to (child sitemaps),
    which the writer dispatches as tasks of their own."""
    # vars(), not asdict(): asdict deep-copies every field, the page body included.
    return json.dumps({"task": task_key,
                       "items": [{"type": type(item).__name__, **_tagged(vars(item))}
                                 for item in items],
                       "tasks": [dataclasses.asdict(task) for task in tasks]})


def load_answer(text: str | bytes) -> tuple[str, list[Any], list[Task]]:
    """RETURNS (tuple): (task key, items, tasks), as dump_answer took them."""
    answer = json.loads(text)
    items = []
    for data in answer["items"]:
        data = _untagged(data)
        items.append(ITEMS[data.pop("type")](**data))
    return answer["task"], items, [Task(**task) for task in answer["tasks"]]
