"""Feed slugs: a feed's URL and exported file are named by a slug of its subject (#16).

A company's, product's or outlet's name may hold spaces, any script, `../` or a NUL; its
slug is ASCII letters, digits and hyphens, the same on the site and in `publish --out`.
Where two names share a slug, the first in code-point order keeps it bare and the others add
a digest of their name; a name with no Latin letter or digit is its digest alone.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Iterable

from db.store import slugify
from nlp.vocabulary import PRODUCT_LABELS, STAGES
from publish import reads

MAX_SLUG = 60
SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
DIGESTED = re.compile(r"(?:(?P<base>[a-z0-9-]+)-)?(?P<digest>[0-9a-f]{10})")
# Feeds narrowed to a fixed word: the slug is the word in lower case.
FIXED = {"label": PRODUCT_LABELS, "modality": STAGES}


def base_slug(name: str) -> str:
    """A name's slug before any clash is settled: "" for one with no Latin letter or digit."""
    slug = slugify(name)[:MAX_SLUG].strip("-")
    return slug if SAFE_SLUG.fullmatch(slug) else ""


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def feed_slugs(names: Iterable[str]) -> dict[str, str]:
    """Each name's slug, unique among `names`.

    names (Iterable[str]): the names one kind of feed is narrowed to.
    RETURNS (dict): name -> slug.
    """
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(names)):
        base = base_slug(name)
        slug = base if base and base not in taken else "-".join(filter(None, [base, _digest(name)]))
        taken.add(slug)
        slugs[name] = slug
    return slugs


async def _sharing(db: Any, by: str, bases: list[str]) -> list[str]:
    """Every name of a `by` feed whose base slug is one of `bases`: all that can clash."""
    if by in ("company", "product"):
        # Found along the stored slug column's index; the check below keeps a stale column
        # from misleading. A base cut at MAX_SLUG (its cut end's hyphen stripped) is the start
        # of the slugs it was cut from; an empty one is a slug with no Latin letter or digit.
        cut = [base for base in bases if len(base) >= MAX_SLUG - 1]
        names = await reads.feed_subjects_by_slug(
            db, by, [base for base in bases if base and base not in cut], cut, "" in bases)
    else:
        names = await reads.feed_subjects(db, by)
    return [name for name in names if base_slug(name) in bases]


async def name_of(db: Any, by: str, slug: str) -> str | None:
    """The name a feed's slug stands for; None when no feed has that slug."""
    if by in FIXED:
        return next((word for word in FIXED[by] if word.lower() == slug), None)
    found = DIGESTED.fullmatch(slug)
    bases = [slug] + ([found["base"] or ""] if found else [])
    named = {each: name for name, each in feed_slugs(await _sharing(db, by, bases)).items()}
    return named.get(slug)


async def slugs_of(db: Any, by: str, names: list[str]) -> dict[str, str]:
    """The slug of the `by` feed narrowed to each of `names`, as slug_of gives it, with one
    look for the names that could share their slugs."""
    if by in FIXED:
        return {name: name.lower() for name in names}
    # A name with no Latin letter or digit is its digest alone, whatever else is named.
    bases = sorted({base_slug(name) for name in names} - {""})
    slugs = feed_slugs([*await _sharing(db, by, bases), *names])
    return {name: slugs[name] for name in names}


async def slug_of(db: Any, by: str, name: str) -> str:
    """The slug of the `by` feed narrowed to `name`."""
    if by in FIXED:
        return name.lower()
    return (await slugs_of(db, by, [name]))[name]


async def named(db: Any, by: str, value: str) -> str | None:
    """The name an old, name-based feed URL gave (its case aside); None when none matches."""
    if by in FIXED:
        return next((word for word in FIXED[by] if word.lower() == value.lower()), None)
    return await reads.feed_subject_named(db, by, value)
