"""The role a name plays in its sentence: a company's service, or the company acting."""

from __future__ import annotations

from spacy.tokens import Span

# A company's service, used: "sellers on Etsy", "an Etsy shop", "Shopify users".
USED_BEFORE = frozenset({"on", "via", "using", "through", "download", "downloaded", "downloading",
                         "install", "installed", "installs", "open", "opened", "onto", "inside",
                         "use", "uses", "used", "launch", "tap", "search",
                         # the product a thing works with or competes with
                         "from", "with", "into", "for", "like", "than", "versus", "vs",
                         "rivals", "apps"})
USED_AFTER = frozenset({"app", "apps", "users", "user", "sellers", "shoppers", "creators",
                        "merchants", "listings", "feed", "accounts", "subscribers", "store",
                        "shop", "shops", "page", "pages", "search", "version", "update", "downloads",
                        "subscription", "account", "video", "videos", "posts", "channel"})
# An app's company, acting: "Reddit said", "Reddit's revenue", "Facebook has made",
# "Bluesky CEO Jay Graber".
ACTS = frozenset({"say", "tell", "announce", "report", "raise", "acquire", "buy", "hire", "lay",
                  "file", "sue", "partner", "invest", "decline", "confirm", "agree", "post",
                  "make", "drop", "earn", "develop", "build", "spend", "pay", "sign", "settle",
                  "cut", "plan", "want", "try", "begin", "start", "sell", "lose", "employ",
                  "unveil", "introduce", "debut", "rebrand", "shut", "pivot",
                  # ... and what a business does that a service does not ("Facebook is
                  # researching", "Facebook has directed its team", "ServiceNow has denied")
                  "research", "direct", "deny", "cancel", "warn", "respond", "prioritize"})
BUSINESS_WORDS = frozenset({"revenue", "revenues", "shares", "stock", "valuation", "profit",
                            "earnings", "ceo", "founder", "founders", "board", "investors",
                            "employees", "staff", "headquarters", "ipo", "chief", "executives",
                            "cofounder", "co-founder", "president", "spokesperson", "cto", "cfo",
                            "coo", "co-founders", "cofounders", "leadership", "operations"})
# What is done to a business, not to a service: "lawsuits against Meta, YouTube and TikTok",
# "the acquisition of Windsurf", "sued Rippling".
DONE_TO_BUSINESS = frozenset({"against", "acquire", "acquired", "acquiring", "acquisition",
                              "sued", "suing", "sue", "buy", "buying", "bought"})


def _words_around(span: Span) -> tuple[str, str, str]:
    """The word before (past a "the"), the word after, and the word after a possessive."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if before == "the" and span.start > 1:
        before = doc[span.start - 2].lower_
    if before == "of" and span.start > 1:
        before = doc[span.start - 2].lower_  # "the acquisition of Windsurf"
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    # "Manus' operations": a name ending in s takes a bare apostrophe.
    after_possessive = doc[span.end + 1].lower_ if after in {"'s", "’s", "'", "’"} \
        and span.end + 1 < len(doc) else ""
    return before, after, after_possessive


def acts_as_business(span: Span) -> bool:
    """"Reddit said", "Facebook has made", "Reddit's revenue", "Bluesky CEO", "lawsuits against
    YouTube": the sentence treats the name as the business."""
    before, after, after_possessive = _words_around(span)
    if after in BUSINESS_WORDS or after_possessive in BUSINESS_WORDS:
        return True
    if before in DONE_TO_BUSINESS:
        return True
    # The first of a list carries the list's role ("against Meta, YouTube, and TikTok").
    head = span.root
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    if head is not span.root and head.i > 0 and span.doc[head.i - 1].lower_ in DONE_TO_BUSINESS:
        return True
    return head.dep_ == "nsubj" and head.head.lemma_.lower() in ACTS


def _relabelled(span: Span, label: str) -> Span:
    return span if label == span.label_ else Span(span.doc, span.start, span.end, label=label,
                                                  kb_id=span.kb_id_)


def dual_role(span: Span) -> Span:
    """A company that shares its name with its service (Etsy, Grab) is the service where it is
    used ("sellers on Etsy", "Etsy shops") and the business where it acts ("Etsy said",
    "Grab has trimmed side businesses", "Etsy's revenue", "engineers who left Etsy")."""
    before, after, after_possessive = _words_around(span)
    if acts_as_business(span):
        return _relabelled(span, "COMPANY")
    if after in {"'s", "’s"}:
        # An owner, whatever comes before: "combined with ServiceNow's automation".
        return _relabelled(span, "APP" if after_possessive in USED_AFTER else "COMPANY")
    if before in USED_BEFORE or after in USED_AFTER:
        return _relabelled(span, "APP")
    # Real articles name such companies as the business far more often than the service.
    return _relabelled(span, "COMPANY")


MADE_BY = frozenset({"developed", "made", "built", "created", "owned", "run", "founded",
                     "backed", "funded", "operated", "released", "published"})
MODEL_WORDS = frozenset({"model", "models", "llm", "llms"})


def in_context(span: Span) -> Span:
    """A known app acting as a business is its company ("Reddit said", "Reddit's revenue",
    "developed by Meta AI"); an app named as a model is the model ("Claude language models")."""
    if span.label_ != "APP":
        return span
    doc = span.doc
    if acts_as_business(span) or span.start >= 2 and doc[span.start - 1].lower_ == "by" \
            and doc[span.start - 2].lower_ in MADE_BY:
        return _relabelled(span, "COMPANY")
    following = [token.lower_ for token in doc[span.end:span.end + 2]]
    if following[:1] and following[0] in MODEL_WORDS or following[1:] and \
            following[0] == "language" and following[1] in MODEL_WORDS:
        return _relabelled(span, "PRODUCT")
    return span
