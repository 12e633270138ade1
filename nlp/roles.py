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
# An app's company, acting: "Reddit said", "Reddit's revenue".
ACTS = frozenset({"say", "tell", "announce", "report", "raise", "acquire", "buy", "hire", "lay",
                  "file", "sue", "partner", "invest", "decline", "confirm", "agree", "post"})
BUSINESS_WORDS = frozenset({"revenue", "revenues", "shares", "stock", "valuation", "profit",
                            "earnings", "ceo", "founder", "founders", "board", "investors",
                            "employees", "staff", "headquarters", "ipo", "chief", "executives"})


# Where a company-named service is the business: "worked at Reddit", "the base camp of Meituan".
BUSINESS_BEFORE = frozenset({"at", "of", "left", "joined", "rival", "rivals", "by"})


def dual_role(span: Span) -> Span:
    """A company that shares its name with its service (Etsy, Grab) is the service where it is
    used ("sellers on Etsy", "Etsy shops") and the business where it acts ("Etsy said",
    "Grab has trimmed side businesses", "Etsy's revenue", "engineers who left Etsy")."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if before == "the" and span.start > 1:
        before = doc[span.start - 2].lower_
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if before in USED_BEFORE or after in USED_AFTER:
        label = "APP"
    else:
        # Real articles name such companies as the business far more often than the service.
        label = "COMPANY"
    return span if label == span.label_ else Span(doc, span.start, span.end, label=label,
                                                  kb_id=span.kb_id_)


def in_context(span: Span) -> Span:
    """A known app acting as a business is its company ("Reddit said", "Reddit's revenue")."""
    if span.label_ not in {"COMPANY", "APP"}:
        return span
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if before == "the" and span.start > 1:
        before = doc[span.start - 2].lower_
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    after_possessive = doc[span.end + 1].lower_ if after == "'s" and span.end + 1 < len(doc) else ""
    label = span.label_
    if label == "APP" and (after_possessive in BUSINESS_WORDS or (
            span.root.dep_ == "nsubj" and span.root.head.lemma_.lower() in ACTS)):
        label = "COMPANY"
    if label == span.label_:
        return span
    return Span(doc, span.start, span.end, label=label, kb_id=span.kb_id_)
