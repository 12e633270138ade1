"""Article and story summaries on the real pipeline."""

from __future__ import annotations

from nlp.summarize import lead_sentences, story_summary, textrank_sentences

ARTICLE = (
    "Sign up for our newsletter to get the day's launches in your inbox every morning. "
    "For years, bookshops in Oslo have complained that the big online retailers outsell them. "
    "On Tuesday a startup called Bokvik launched Bokvik Shelf, an app that lists the stock of "
    "120 independent shops in Norway and Sweden. "
    "Bokvik Shelf lets readers reserve a book in a nearby shop and pay when they collect it. "
    "Buy cheap replica watches free shipping at the best online store now. "
    "The app is free for readers, and shops pay Bokvik a fee of 99 kroner a month. "
    "Bokvik said 40,000 readers had signed up for Bokvik Shelf during a three-month test. "
    "Read more: the week's other launches.")


def test_boilerplate_and_spam_never_make_the_summary(nlp) -> None:
    summary = textrank_sentences(nlp(ARTICLE))
    assert 2 <= len(summary) <= 3
    assert not any("newsletter" in s or "replica" in s or "Read more" in s for s in summary)
    assert any("Bokvik Shelf" in s for s in summary)


def test_summary_keeps_the_text_order(nlp) -> None:
    doc = nlp(ARTICLE)
    summary = textrank_sentences(doc)
    order = [s.text.strip() for s in doc.sents]
    assert [order.index(s) for s in summary] == sorted(order.index(s) for s in summary)


def test_lead_three_is_the_first_three_sentences(nlp) -> None:
    assert lead_sentences(nlp(ARTICLE))[0].startswith("Sign up for our newsletter")


def test_story_summary_names_articles_and_never_repeats() -> None:
    same = "Bokvik launched Bokvik Shelf, an app listing the stock of independent bookshops."
    articles = [(1, "Byte Ledger", [same, "Shops pay Bokvik 99 kroner a month to be listed."]),
                (2, "TechPulse", [same, "Readers reserve a book and pay when they collect it."]),
                (3, "Gadget Current", ["Bokvik said 40,000 readers signed up during a test."])]
    summary = story_summary(articles, limit=3)
    assert len({item.sentence for item in summary}) == len(summary) == 3
    assert [item.sentence for item in summary].count(same) == 1
    assert all((item.article_id, item.source) in {(1, "Byte Ledger"), (2, "TechPulse"),
                                                  (3, "Gadget Current")} for item in summary)
