"""Story rules on hand-made records, no database: figures, prominence, merges."""

from __future__ import annotations

from nlp.stories import Merge, after_merges, key_metrics, prominent, same_product_merges


def _figure(metric: str, value: float, modality: str = "reported", article_id: int = 1) -> dict:
    return {"metric": metric, "value": value, "unit": "users", "qualifier": "exact",
            "modality": modality, "text": f"{value:,.0f}", "article_id": article_id}


def test_a_story_cites_the_value_most_articles_give_then_the_firmest() -> None:
    chosen = key_metrics([
        _figure("mau", 1e6, "rumored", 1), _figure("mau", 2e6, "reported", 2),
        _figure("mau", 1e6, "reported", 3), _figure("downloads", 5e5, "forecast", 1),
        _figure("downloads", 6e5, "reported", 2)])
    assert [(row["metric"], row["value"], row["articles"], row["article_id"])
            for row in chosen] == [("mau", 1e6, 2, 3), ("downloads", 6e5, 1, 2)]


def test_an_article_is_about_the_products_in_its_title_or_named_twice() -> None:
    names = [{"name": "Kivo", "aliases": ("Kewo",), "label": "APP", "times": 1, "first": 40},
             {"name": "Halo", "aliases": (), "label": "PRODUCT", "times": 3, "first": 10},
             {"name": "Orbit", "aliases": (), "label": "APP", "times": 1, "first": 5},
             {"name": "Moxun", "aliases": (), "label": "COMPANY", "times": 2, "first": 0}]
    assert prominent(names, "Moxun's Kewo is here") == ((("Kivo", "Kewo"), ("Halo",)), ("Moxun",))


def _story(launch_id: int, key: str, name: str, aliases: tuple[str, ...] = (),
           day: str = "2025-09-01") -> dict:
    return {"id": launch_id, "story_key": key, "first_seen": f"{day}T09:00:00+00:00",
            "last_seen": f"{day}T09:00:00+00:00", "modality": "launched",
            "company_keys": ["moxun"], "name": name, "aliases": aliases, "company": "Moxun",
            "company_aliases": ()}


def test_stories_of_one_product_under_two_names_merge_into_the_older() -> None:
    merges = same_product_merges([_story(1, "kivo-2025-09", "Kivo", ("Kewo",)),
                                  _story(2, "kewo-2025-09", "Kewo"),
                                  _story(3, "halo-2025-09", "Halo")])
    assert merges == [Merge(keep=1, gone=2, gone_key="kewo-2025-09")]
    assert after_merges({2, 3}, merges) == {1, 3}
