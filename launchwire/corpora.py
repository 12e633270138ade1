"""Real published text from the shared corpora, read at run time, never copied in (#13).

The corpora (`../shared/corpora`, or `$LAUNCHWIRE_CORPORA`) are public datasets of tech news.
launchwire keeps only offsets into them: a passage is (corpus, document id, start, end) in
the document's body text, and an annotation is a span of such a passage with a short hash of
its text, so a changed or misaligned corpus is an error rather than a wrong score.

Documents are split dev/test by a hash of their id before anyone looks at them: two in five
go to test. Rules, features and training use dev only; test is quoted.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from launchwire.settings import SETTING_NAMED, load_settings

REPO = Path(__file__).resolve().parent.parent
CORPORA_ENV = SETTING_NAMED["corpora"].env_var
TEST_SHARE = (5, 2)  # of every 5 hash buckets, 2 are test: a superset of #12's one in five

LOSTFLUX = "lostflux"
TLDR = "tldr"
# TechCrunch scrapes: corpus name -> (file under the corpora folder, title, body, url, date).
TECHCRUNCH = {
    "tc-danjari": ("techcrunch-scrapes-2023-2025/danjari-startupFundingTracker/techcrunch.csv",
                   "Title", "Content", "URL", None),
    "tc-crosson": ("techcrunch-scrapes-2023-2025/michaelcrosson-TechCrunchScraper/techcrunch.csv",
                   "Title", "Text", None, None),
    "tc-gurkanwall-a2": ("techcrunch-scrapes-2023-2025/gurkanwall-CSIS4260-Assignment2/"
                         "techcrunch_articles.csv", "title", "content", "url", None),
    "tc-gurkanwall-p2": ("techcrunch-scrapes-2023-2025/gurkanwall-CSIS4260_Project-2/"
                         "techcrunch_articles.csv", "title", "content", "url", None),
    "tc-shankerram3": ("techcrunch-scrapes-2023-2025/shankerram3-RAG-startup-trend-chatbot/"
                       "techcrunch_articles.csv", "title", "content", "url", "date"),
    "tc-iponugoti": ("techcrunch-scrapes-2023-2025/iponugoti-ml-ai/techcrunch_articles.csv",
                     "Title", "Content", "URL", None),
}
FILES = {LOSTFLUX: "lostflux-tech-news-crawl/articles.jsonl.gz",
         TLDR: "tldr-newsletter-archive/stories.jsonl.gz",
         **{name: spec[0] for name, spec in TECHCRUNCH.items()}}
URL_DATE = re.compile(r"/(20\d\d)/(\d\d)/(\d\d)/")
READING_TIME = re.compile(r"\s*\((?:\d+ minute read|Sponsor|GitHub Repo|Website)\)\s*$")


class CorporaMissing(FileNotFoundError):
    """The shared corpora are not on this machine."""


class AnnotationMismatch(ValueError):
    """An annotation no longer matches the corpus text it points into."""


@dataclass(frozen=True)
class Document:
    corpus: str
    doc_id: str
    title: str
    date: str | None
    text: str  # the body; every offset launchwire keeps is into this
    outlet: str = ""

    @property
    def split(self) -> str:
        return split_of(self.doc_id)


def corpora_folder() -> Path:
    return Path(load_settings().corpora or REPO.parent / "shared" / "corpora")


def require_corpora() -> Path:
    folder = corpora_folder()
    if not (folder / FILES[LOSTFLUX]).exists():
        raise CorporaMissing(f"the shared corpora are not in {folder}: set {CORPORA_ENV} to the "
                             "folder holding them (see ../shared/corpora/README.md)")
    return folder


def order_key(key: str, purpose: str | None = None) -> str:
    """A fixed, well-mixed ordering key; each purpose draws in an order of its own."""
    text = key if purpose is None else f"{purpose}:{key}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def bucket(key: str, buckets: int, purpose: str | None = None) -> int:
    """Which of `buckets` equal shares a key falls in, the same on every machine."""
    return int(order_key(key, purpose), 16) % buckets


def split_of(doc_id: str) -> str:
    """'test' or 'dev', fixed by the document id alone."""
    buckets, test = TEST_SHARE
    return "test" if bucket(doc_id, buckets) < test else "dev"


def span_check(text: str) -> str:
    """A short fingerprint of a span's text: enough to catch a misaligned offset."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _date_from_url(url: str | None) -> str | None:
    found = URL_DATE.search(url or "")
    return "-".join(found.groups()) if found else None


def read_corpus(corpus: str) -> Iterator[Document]:
    """Every document of one corpus, in file order."""
    path = require_corpora() / FILES[corpus]
    if corpus == LOSTFLUX:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                yield Document(corpus, row["id"], row["title"].split(" | ")[0].strip(),
                               row.get("date"), row.get("text") or "", row.get("domain") or "")
    elif corpus == TLDR:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if not row.get("sponsor"):
                    yield Document(corpus, row["id"], READING_TIME.sub("", row["title"]),
                                   row.get("date"), row.get("text") or "",
                                   f"tldr {row.get('newsletter')}")
    else:
        _, title, body, url, date = TECHCRUNCH[corpus]
        csv.field_size_limit(10**9)
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle)):
                link = row.get(url) if url else None
                doc_id = f"{corpus}:{link or number}"
                published = (row.get(date) or "")[:10] if date else _date_from_url(link)
                yield Document(corpus, doc_id, (row.get(title) or "").strip(), published or None,
                               row.get(body) or "", "techcrunch.com")


@lru_cache(maxsize=None)
def documents(corpus: str) -> dict[str, Document]:
    """One corpus by document id (the first row wins where a scrape repeats a URL)."""
    found: dict[str, Document] = {}
    for document in read_corpus(corpus):
        found.setdefault(document.doc_id, document)
    return found


def document(corpus: str, doc_id: str) -> Document:
    try:
        return documents(corpus)[doc_id]
    except KeyError:
        raise AnnotationMismatch(f"{corpus}: no document {doc_id!r}") from None


def checked_span(text: str, start: int, end: int, check: str, where: str) -> str:
    """The span's text, after making sure it is the one that was annotated."""
    if not 0 <= start < end <= len(text) or span_check(text[start:end]) != check:
        raise AnnotationMismatch(f"{where}: span {start}-{end} does not match its text "
                                 "(was the corpus changed?)")
    return text[start:end]
