"""Which articles tell one launch: the maths of launch stories, free of any storage.

An article joins a story when
- its launch fact names the same product (after alias resolution, with the maker's name
  taken off: "DeepSeek-R1" and DeepSeek's "R1" are one product; Rabbit's "R1" is another),
  within a window that stretches for a product moving through its stages (rumoured, then
  announced, then on sale);
- or it names a product of the same company whose words contain the other's ("Pixel 8" and
  "Pixel 8 Pro" from one event), within days;
- or its text is a near-copy of an article already in the story (syndicated wire copy, a
  rewrite under another headline), found with MinHash LSH within days.

Articles are added one at a time in the order they were published, so a new article joins
the story it belongs to without rebuilding the others.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from datasketch import MinHash, MinHashLSH

from nlp.names import COMPANY_SUFFIXES
from nlp.vocabulary import STAGES

SHINGLE_WORDS = 4
NUM_PERM = 64
NEAR_COPY = 0.45  # Jaccard of word 4-shingles; rewritten wire copy keeps well above it
COPY_WINDOW = timedelta(days=7)
SIBLING_WINDOW = timedelta(days=4)
SAME_STAGE_WINDOW = timedelta(days=45)
NEXT_STAGE_WINDOW = timedelta(days=400)
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Coverage that names no product a story has (a feature, an analysis) joins the story whose
# articles it resembles most: tf-idf cosine against the story's recent articles, with at
# least one uncommon name (a product's or company's) in common.
TEXT_WINDOW = timedelta(days=10)
TEXT_MATCH = 0.15
TEXT_MATCH_FOR_A_NEW_LAUNCH = 0.25  # a launch fact of an unknown name joins only a near-twin
NAME_PARTS = frozenset("@" + word.lower() for word in COMPANY_SUFFIXES)
STOP_WORDS = frozenset("""a an the and or but of to in on for with at by from as is are was were be
been being it its this that these those has have had will would can could may might than then
there their they them he she his her we our you your i not no so if into over about after before
also more most new said says say its just one two what which who when where how all any some
per up out""".split())


@dataclass
class Item:
    """An article as clustering sees it."""
    id: int
    published: datetime
    text: str
    product: str | None = None
    company: str | None = None
    modality: str | None = None
    # Other names of the product and company (aliases from the entity table).
    product_aliases: tuple[str, ...] = ()
    company_aliases: tuple[str, ...] = ()
    # The products the text is mostly about (names with their aliases), most prominent first,
    # and the companies it names: how coverage without a launch fact finds its story.
    mentioned: tuple[tuple[str, ...], ...] = ()
    makers: tuple[str, ...] = ()
    kind: str = "coverage"  # launch, other (funding, earnings…: never joins by mentions), coverage


@dataclass
class Story:
    key: str
    products: set[str] = field(default_factory=set)
    companies: set[str] = field(default_factory=set)
    first: datetime | None = None
    last: datetime | None = None
    stage: int = -1
    members: list[int] = field(default_factory=list)


def normal_name(name: str) -> str:
    return " ".join(WORD.findall(name.lower()))


def product_key(product: str, companies: tuple[str, ...] | list[str] = ()) -> str:
    """The product's name without its maker's ("Xiaomi SU7" → "su7", "DeepSeek-R1" → "r1",
    Lanxin Motors' "Lanxin L7" → "l7"); a name that is all maker stays whole."""
    words = normal_name(product).split()
    for company in companies:
        maker = normal_name(company).split()
        shared = 0
        while shared < min(len(maker), len(words) - 1) and words[shared] == maker[shared]:
            shared += 1
        if shared:
            return " ".join(words[shared:])
    return " ".join(words)


def story_key(product: str, published: datetime) -> str:
    """A story's stable public key: the product's slug and the month it was first seen."""
    return f"{'-'.join(normal_name(product).split()) or 'launch'}-{published:%Y-%m}"

# MinHash draws its permutations afresh for every signature unless given them: a third of
# the time a signature took. These are the ones it draws with its default seed and scheme.
_DEFAULT_MINHASH = MinHash(num_perm=NUM_PERM)
PERMUTATIONS, SCHEME = _DEFAULT_MINHASH.permutations, _DEFAULT_MINHASH.scheme


def signature(text: str) -> MinHash:
    words = WORD.findall(text.lower())
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")
                for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    minhash = MinHash(num_perm=NUM_PERM, permutations=PERMUTATIONS, scheme=SCHEME)
    minhash.update_batch(list(shingles))
    return minhash


class StoryIndex:
    """The stories within reach of new articles, and the near-copy index of their recent
    articles. Feed it articles in publication order with `add`."""

    def __init__(self) -> None:
        self.stories: dict[str, Story] = {}
        self.by_product: dict[str, list[str]] = {}
        self.by_company: dict[str, list[str]] = {}
        self.lsh = MinHashLSH(threshold=NEAR_COPY, num_perm=NUM_PERM)
        self.recent: list[tuple[datetime, int]] = []  # a heap: the oldest indexed text first
        self.story_of: dict[int, str] = {}
        self.reserved: set[str] = set()  # keys of stories merged away: never handed out again
        self.orphans: dict[str, list[tuple[datetime, int, frozenset]]] = {}
        self.vectors: dict[int, dict[str, float]] = {}
        self.recent_vectors: list[tuple[datetime, int]] = []
        self.document_frequency: Counter = Counter()
        self.unplaced: dict[int, datetime] = {}  # recent coverage in no story, by its date
        self.adopted: list[tuple[int, str]] = []
        # Summed term vectors of each story's recent articles, and which stories and which
        # unplaced articles use a name: candidates come from shared names, never a full scan.
        self.centroids: dict[str, dict[str, float]] = {}
        self.centroid_norms: dict[str, float] = {}
        self.stories_naming: dict[str, set[str]] = {}
        self.unplaced_naming: dict[str, set[int]] = {}

    # -- building from what is already stored ------------------------------------------
    def restore(self, story: Story, recent_texts: dict[int, tuple[datetime, str]] | None = None) -> None:
        """Put back a stored story, with the texts of its articles recent enough to be copied."""
        self.stories[story.key] = story
        for product in story.products:
            self.by_product.setdefault(product, []).append(story.key)
        for company in story.companies:
            self.by_company.setdefault(company, []).append(story.key)
        for article_id in story.members:
            self.story_of[article_id] = story.key
        for article_id, (published, text) in (recent_texts or {}).items():
            self._index_text(article_id, published, text)
            self._index_vector(article_id, published, term_vector(text))
            self._attach(article_id, story.key)

    def restore_unplaced(self, article_id: int, published: datetime, text: str) -> None:
        """Put back recent coverage in no story, which a new story may still adopt."""
        self._index_vector(article_id, published, term_vector(text))
        self._leave_unplaced(article_id, published)

    def _leave_unplaced(self, article_id: int, published: datetime) -> None:
        self.unplaced[article_id] = published
        for term in self.vectors.get(article_id, {}):
            if term.startswith("@"):
                self.unplaced_naming.setdefault(term, set()).add(article_id)

    def restore_orphan(self, article_id: int, published: datetime, products: set[str],
                       companies: set[str]) -> None:
        """Put back an article that named a product no story had yet."""
        for key in products:
            self.orphans.setdefault(key, []).append((published, article_id, frozenset(companies)))

    # -- adding --------------------------------------------------------------------------
    def add(self, item: Item) -> str | None:
        """The key of the story the article joins (a new one if it launches a new product),
        or None when it tells no launch, names no story's product and copies no story's
        article. Articles it brings in with it (coverage that came before the launch) are
        left in `adopted`."""
        self._forget_before(item.published - COPY_WINDOW)
        self._expire_vectors(item.published - TEXT_WINDOW)
        minhash = signature(item.text)
        stage = STAGES.index(item.modality) if item.modality in STAGES else None
        companies = self._companies(item)
        found = self._matching_story(self._keys(item), companies, stage, item.published)
        mentioned = self._mentioned_keys(item)
        if found is None and item.kind != "other" and not item.product:
            # An article telling a launch of its own is not coverage of another product.
            for keys in mentioned:
                found = self._matching_story(keys, companies, None, item.published)
                if found is not None:
                    break
        found = found or self._by_copy(minhash)
        vector = term_vector(item.text)
        if found is None and item.kind != "other":
            found = self._by_text(vector, item.published,
                                  TEXT_MATCH_FOR_A_NEW_LAUNCH if item.product else TEXT_MATCH,
                                  companies if item.product else set(), self._keys(item))
        self._index_vector(item.id, item.published, vector)
        if found is None and item.product:
            base = found = story_key(item.product, item.published)
            number = 2
            while found in self.stories or found in self.reserved:  # launched again that month
                found, number = f"{base}-{number}", number + 1
            self.stories[found] = Story(found, first=item.published)
            self._join(self.stories[found], item)
            self._adopt_orphans(self.stories[found])
            self._adopt_by_text(self.stories[found])
        elif found is not None:
            self._join(self.stories[found], item)
        else:
            if item.kind != "other":
                self._leave_unplaced(item.id, item.published)
                if mentioned:
                    self.restore_orphan(item.id, item.published, self.orphan_keys(item),
                                        {normal_name(name) for name in item.makers})
            return None
        self._index_text(item.id, item.published, minhash=minhash)
        return found

    def orphan_keys(self, item: Item) -> set[str]:
        """The product keys an article in no story waits under: its most prominent product's."""
        mentioned = self._mentioned_keys(item)
        return set(mentioned[0]) if mentioned else set()

    def _adopt_orphans(self, story: Story) -> None:
        """Coverage that named the product before any article told its launch (a preview,
        a leak, a hands-on published first) joins the story once it exists."""
        for key in list(story.products):
            for published, article_id, companies in self.orphans.pop(key, []):
                if story.first - published > SAME_STAGE_WINDOW or published > story.first \
                        and published - story.first > SAME_STAGE_WINDOW:
                    continue
                if companies and story.companies and not companies & story.companies:
                    continue
                if article_id not in self.story_of:
                    self._adopt(story, article_id, published)

    def _companies(self, item: Item) -> set[str]:
        """The companies an article ties its product to: its launch's, and those it names most."""
        names = [item.company, *item.company_aliases] if item.company else []
        return {normal_name(name) for name in [*names, *item.makers] if name}

    def _keys(self, item: Item) -> set[str]:
        if not item.product:
            return set()
        makers = [name for name in (item.company, *item.company_aliases, *item.makers) if name]
        return {product_key(name, makers) for name in (item.product, *item.product_aliases)}

    def _mentioned_keys(self, item: Item) -> list[set[str]]:
        makers = [name for name in (item.company, *item.company_aliases, *item.makers) if name]
        return [{product_key(name, makers) for name in names} for names in item.mentioned]

    def _matching_story(self, keys: set[str], companies: set[str], stage: int | None,
                        published: datetime) -> str | None:
        """The latest story of one of these product keys the article can belong to."""
        best = None
        for key in keys:
            for candidate in self.by_product.get(key, ()):
                story = self.stories[candidate]
                if ambiguous(key) and companies and story.companies \
                        and not companies & story.companies:
                    continue  # Rabbit's R1 is not DeepSeek's
                gap = published - (story.last or published)
                moving_on = (stage is not None and stage > story.stage) \
                    or story.stage < STAGES.index("launched")
                if gap <= SAME_STAGE_WINDOW or moving_on and gap <= NEXT_STAGE_WINDOW:
                    if best is None or story.last > self.stories[best].last:
                        best = candidate
        if best is not None or not keys:
            return best
        # "Pixel 8" and "Pixel 8 Pro" from one event: one name's words inside the other's.
        for candidate in {key for company in companies for key in self.by_company.get(company, ())}:
            story = self.stories[candidate]
            if story.last is None or abs(published - story.last) > SIBLING_WINDOW:
                continue
            if any(_contains(key, other) for key in keys for other in story.products):
                return candidate
        return None

    def _index_vector(self, article_id: int, published: datetime, vector: dict[str, float]) -> None:
        if article_id in self.vectors:
            return
        self.vectors[article_id] = vector
        self.document_frequency.update(vector)
        heapq.heappush(self.recent_vectors, (published, article_id))

    def _expire_vectors(self, moment: datetime) -> None:
        while self.recent_vectors and self.recent_vectors[0][0] < moment:
            _, old = heapq.heappop(self.recent_vectors)
            vector = self.vectors.pop(old, {})
            self.document_frequency.subtract(vector)
            self.unplaced.pop(old, None)
            for term in vector:
                if term.startswith("@"):
                    _discard(self.unplaced_naming, term, old)
            key = self.story_of.get(old)
            centroid = self.centroids.get(key) if key is not None else None
            if centroid is not None:
                self.centroid_norms.pop(key, None)
                for term, weight in vector.items():
                    left = centroid.get(term, 0.0) - weight
                    if left > 1e-9:
                        centroid[term] = left
                    else:
                        centroid.pop(term, None)
                        if term.startswith("@"):
                            # Name indexes hold recent texts only, or every article naming
                            # Apple would weigh all Apple stories ever (#17).
                            _discard(self.stories_naming, term, key)
                if not centroid:
                    self.centroids.pop(key, None)

    def _attach(self, article_id: int, key: str) -> None:
        """Add an article's recent text to its story's centroid and name index."""
        vector = self.vectors.get(article_id)
        if vector is None:
            return
        centroid = self.centroids.setdefault(key, {})
        self.centroid_norms.pop(key, None)
        for term, weight in vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
            if term.startswith("@"):
                self.stories_naming.setdefault(term, set()).add(key)

    def _rare_names(self, vector: dict[str, float]) -> list[str]:
        """Names few recent texts use; not the "AI" or "Labs" many company names end with."""
        rare = max(5, len(self.vectors) // 200)
        return [term for term in vector if term.startswith("@") and term not in NAME_PARTS
                and self.document_frequency[term] <= rare]

    def _idf(self, term: str) -> float:  # a word in every recent text weighs nothing
        documents = max(1, len(self.vectors))
        return math.log((1 + documents) / (1 + max(0, self.document_frequency[term])))

    def _similarity(self, vector: dict[str, float], centroid: dict[str, float],
                    key: str | None = None) -> float:
        """tf-idf cosine of a text and a story's recent articles (its centroid). A story's
        weighted length is kept until the story changes: document frequencies drift slowly."""
        one = _unit({term: weight * self._idf(term) for term, weight in vector.items()})
        norm = self.centroid_norms.get(key) if key is not None else None
        if norm is None:
            norm = math.sqrt(sum((weight * self._idf(term)) ** 2
                                 for term, weight in centroid.items())) or 1.0
            if key is not None:
                self.centroid_norms[key] = norm
        return sum(weight * centroid.get(term, 0.0) * self._idf(term)
                   for term, weight in one.items()) / norm

    def _by_text(self, vector: dict[str, float], published: datetime, threshold: float,
                 makers: set[str] = frozenset(), keys: set[str] = frozenset()) -> str | None:
        """The story whose recent articles this text resembles most, at `threshold` or above,
        among those sharing an uncommon name with it (the same words about two launches
        differ in their names). A launch by other `makers` than a story's (Lanzo, Lanxin: one
        carmaker's two names) must share a name besides its product's (`keys`) with it: "X
        launched X App" and "Y launched Y App" share only "App"."""
        product_words = {"@" + word for key in keys for word in key.split()}
        candidates = {key for term in self._rare_names(vector)
                      for key in self.stories_naming.get(term, ())
                      if term in self.centroids.get(key, {})
                      and (term not in product_words or not self._another_makers(key, makers))}
        best, best_score = None, threshold
        for key in sorted(candidates):
            score = self._similarity(vector, self.centroids[key], key)
            if score >= best_score:
                best, best_score = key, score
        return best

    def _another_makers(self, key: str, makers: set[str]) -> bool:
        story = self.stories.get(key)
        return bool(makers and story and story.companies and not makers & story.companies)

    def _adopt_by_text(self, story: Story) -> None:
        """Recent coverage that named no product a story had (a preview, a feature published
        first) joins a new story it resembles."""
        centroid = self.centroids.get(story.key, {})
        candidates = {article_id for term in self._rare_names(centroid)
                      for article_id in self.unplaced_naming.get(term, ())}
        for article_id in sorted(candidates):
            published = self.unplaced.get(article_id)
            if published is None or article_id in self.story_of \
                    or abs(published - story.first) > TEXT_WINDOW:
                continue
            if self._similarity(self.vectors[article_id], centroid, story.key) >= TEXT_MATCH:
                self._adopt(story, article_id, published)

    def _adopt(self, story: Story, article_id: int, published: datetime) -> None:
        story.members.append(article_id)
        self.story_of[article_id] = story.key
        self.adopted.append((article_id, story.key))
        self.unplaced.pop(article_id, None)
        self._attach(article_id, story.key)
        story.first = min(story.first, published)

    def _by_copy(self, minhash: MinHash) -> str | None:
        for article_id in self.lsh.query(minhash):
            key = self.story_of.get(article_id)
            if key is not None:
                return key
        return None

    def _join(self, story: Story, item: Item) -> None:
        story.members.append(item.id)
        self.story_of[item.id] = story.key
        self._attach(item.id, story.key)
        for key in self._keys(item):
            if key not in story.products:
                story.products.add(key)
                self.by_product.setdefault(key, []).append(story.key)
        for company in self._companies(item) - story.companies:
            story.companies.add(company)
            self.by_company.setdefault(company, []).append(story.key)
        story.first = min(filter(None, (story.first, item.published)))
        story.last = max(filter(None, (story.last, item.published)))
        if item.modality in STAGES:
            story.stage = max(story.stage, STAGES.index(item.modality))

    def _index_text(self, article_id: int, published: datetime, text: str = "",
                    minhash: MinHash | None = None) -> None:
        if article_id in self.lsh:
            return
        self.lsh.insert(article_id, minhash or signature(text))
        heapq.heappush(self.recent, (published, article_id))

    def _forget_before(self, moment: datetime) -> None:
        """Articles older than the copy window leave the near-copy index: it stays small
        however long the crawl runs."""
        while self.recent and self.recent[0][0] < moment:
            _, article_id = heapq.heappop(self.recent)
            self.lsh.remove(article_id)


def _discard(index: dict[str, set], term: str, member: Any) -> None:
    """Take `member` out of a name index's set for `term`, and the set once it is empty."""
    members = index.get(term)
    if members is not None:
        members.discard(member)
        if not members:
            del index[term]


def term_vector(text: str) -> dict[str, float]:
    """Word counts of a text (sublinear), unit length; capitalised words the text never writes
    in lower case are names, kept apart as "@name"."""
    words = WORD.findall(text)
    lower = {word for word in words if word.islower()}
    counts: Counter = Counter()
    for word in words:
        folded = word.lower()
        if folded in STOP_WORDS or folded.isdigit() or len(folded) < 2:
            continue
        counts["@" + folded if word[0].isupper() and folded not in lower else folded] += 1
    return _unit({term: 1 + math.log(count) for term, count in counts.items()})


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(weight * weight for weight in vector.values())) or 1.0
    return {term: weight / norm for term, weight in vector.items()}


def ambiguous(key: str) -> bool:
    """A product key many makers could use: a short model code ("r1", "l7", "m2") or one
    short word ("halo", "keep", "phone")."""
    words = key.split()
    return len(words) == 1 and (len(key) <= 5 or any(ch.isdigit() for ch in key))


EDITIONS = frozenset({"pro", "max", "ultra", "plus", "mini", "lite", "air", "se", "x", "xl"})


def _contains(one: str, other: str) -> bool:
    """One product name the other's first words: "pixel 8" in "pixel 8 pro" (two words at
    least), or "llama" in "llama 3" (the rest only numbers and editions)."""
    a, b = one.split(), other.split()
    if not a or not b or a == b:
        return bool(a) and a == b
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if long[:len(short)] != short:
        return False
    rest = long[len(short):]
    return len(short) >= 2 or all(word.isdigit() or word in EDITIONS for word in rest)


def same_launch(earlier: Story, later: Story) -> bool:
    """Whether two stories of one product are one launch: close in time, or the later one
    carries the product to a further stage."""
    if earlier.companies and later.companies and not earlier.companies & later.companies:
        return False
    if earlier.last is None or later.first is None:
        return True
    gap = later.first - earlier.last
    moving_on = later.stage > earlier.stage or earlier.stage < STAGES.index("launched")
    return gap <= SAME_STAGE_WINDOW or moving_on and gap <= NEXT_STAGE_WINDOW


LAUNCH_WORDS = re.compile(r"\b(?:launch|launches|launched|unveil|unveils|unveiled|release|"
                          r"releases|released|debut|debuts|introduces|announces|rolls out|"
                          r"goes on sale|arrives|opens)\b", re.I)


def clearest_headline(titles: list[str], product: str | None, company: str | None) -> str | None:
    """Of the outlets' titles, the one that says most plainly who launched what: it names
    the product and the company and has a launch verb, is neither a question nor a teaser,
    and is of a readable length; ties go to the earliest title."""
    def score(title: str) -> float:
        words = set(normal_name(title).split())
        points = 0.0
        if product:
            product_words = set(normal_name(product).split())
            points += 3 * len(product_words & words) / max(1, len(product_words))
        if company and set(normal_name(company).split()) <= words:
            points += 1
        if LAUNCH_WORDS.search(title):
            points += 1
        if "?" in title or title.endswith("…") or title.isupper():
            points -= 2
        if not 25 <= len(title) <= 110:
            points -= 1
        return points

    titles = [title.strip() for title in titles if title and title.strip()]
    if not titles:
        return None
    return max(enumerate(titles), key=lambda pair: (score(pair[1]), -pair[0]))[1]
