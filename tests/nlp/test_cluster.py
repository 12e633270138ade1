"""Story maths on hand-made articles: which articles tell one launch."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from nlp.cluster import Item, StoryIndex, clearest_headline, product_key

DAY = datetime(2025, 3, 10, 9, tzinfo=timezone.utc)

WIRE = ("Zelvix, a Berlin startup, launched Keep on Monday, a voice-first notebook app that "
        "turns spoken memos into sorted to-do lists and calendar entries. The app is free for "
        "twenty notes a month and costs four euros after that, the company said. Zelvix raised "
        "six million euros last year from Halvard Capital to build it, and says the notes never "
        "leave the phone unless a user turns on backup.")


def _item(article_id: int, text: str, day: int = 0, **fields) -> Item:
    return Item(article_id, DAY + timedelta(days=day), text, **fields)


def test_maker_names_come_off_product_names() -> None:
    assert product_key("DeepSeek-R1", ["DeepSeek"]) == "r1"
    assert product_key("Lanxin L7", ["Lanxin Motors"]) == "l7"
    assert product_key("Xiaomi", ["Xiaomi"]) == "xiaomi"  # a name that is all maker stays


def test_one_product_across_outlets_and_days_is_one_story() -> None:
    index = StoryIndex()
    first = index.add(_item(1, WIRE, product="Keep", company="Zelvix", modality="launched"))
    again = index.add(_item(2, "Zelvix Keep is the notebook app of the week. " * 5, day=2,
                            product="Zelvix Keep", company="Zelvix", modality="launched"))
    assert first == again == "keep-2025-03"


def test_same_model_code_from_two_makers_is_two_stories() -> None:
    index = StoryIndex()
    deepseek = index.add(_item(1, "DeepSeek released R1, a reasoning model. " * 5,
                               product="R1", company="DeepSeek", modality="launched"))
    rabbit = index.add(_item(2, "Rabbit showed the R1, a pocket gadget. " * 5, day=1,
                             product="R1", company="Rabbit", modality="announced"))
    assert deepseek != rabbit


def test_two_makers_launches_written_alike_are_two_stories() -> None:
    # Few recent texts make every name rare; "App" is all the two launches share.
    index = StoryIndex()
    keys = [index.add(_item(number, f"{maker} launched {maker} App today.", day=number,
                            product=f"{maker} App", company=maker, modality="launched"))
            for number, maker in enumerate(["Zorbit", "Quanta", "Melvo"])]
    assert keys == ["zorbit-app-2025-03", "quanta-app-2025-03", "melvo-app-2025-03"]


def test_a_product_launched_again_months_later_is_a_new_story() -> None:
    index = StoryIndex()
    july = index.add(_item(1, WIRE, product="Keep", company="Zelvix", modality="launched"))
    later = index.add(_item(2, "Zelvix launched Keep in Japan. " * 5, day=150, product="Keep",
                            company="Zelvix", modality="launched"))
    assert july != later


def test_rumour_then_launch_is_one_story_even_months_apart() -> None:
    index = StoryIndex()
    rumour = index.add(_item(1, "Zelvix is said to be building Keep. " * 5, product="Keep",
                             company="Zelvix", modality="rumored"))
    launch = index.add(_item(2, WIRE, day=120, product="Keep", company="Zelvix",
                             modality="launched"))
    assert rumour == launch


def test_rewritten_wire_copy_joins_by_its_text() -> None:
    index = StoryIndex()
    story = index.add(_item(1, WIRE, product="Keep", company="Zelvix", modality="launched"))
    copy = WIRE.replace("on Monday", "this week") + " Readers can try it today."
    assert index.add(_item(2, copy, day=1)) == story


def test_coverage_naming_the_product_joins_but_a_funding_story_does_not() -> None:
    index = StoryIndex()
    story = index.add(_item(1, WIRE, product="Keep", company="Zelvix", modality="launched"))
    review = _item(2, "We spent a week with the voice notebook. It listens well. " * 3, day=2,
                   mentioned=(("Keep",),), makers=("Zelvix",))
    funding = _item(3, "Zelvix raised money from Halvard Capital for Keep. " * 3, day=2,
                    mentioned=(("Keep",),), makers=("Zelvix",), kind="other")
    assert index.add(review) == story
    assert index.add(funding) is None


def test_coverage_published_before_the_launch_is_adopted_by_its_story() -> None:
    index = StoryIndex()
    preview = _item(1, "What to expect from Zelvix tomorrow: Keep, a voice notebook. " * 3,
                    mentioned=(("Keep",),), makers=("Zelvix",))
    assert index.add(preview) is None
    story = index.add(_item(2, WIRE, day=1, product="Keep", company="Zelvix",
                            modality="launched"))
    assert index.adopted == [(1, story)]


def test_the_clearest_headline_names_product_company_and_launch() -> None:
    titles = ["You will never guess what Berlin built", "Zelvix launches Keep, a voice notebook",
              "Keep?"]
    assert clearest_headline(titles, "Keep", "Zelvix") == titles[1]
