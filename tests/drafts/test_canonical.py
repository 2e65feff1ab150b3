"""One key per story, however it is linked."""

from __future__ import annotations

import pytest

from bot.drafts.canonical import knowledge_url_keys, url_key
from bot.knowledge import KnowledgeBase
from tests.fake_discord.sample_kb import KALINOWSKI_ARTICLE


@pytest.mark.parametrize("variant", [
    "https://www.thetechportal.com/2026/03/09/story/",
    "http://thetechportal.com/2026/03/09/story",
    "https://THETECHPORTAL.com/2026/03/09/story?utm_source=rss&utm_medium=feed",
    "https://thetechportal.com:443/2026/03/09/story#comments",
    "https://thetechportal.com/2026/03/09/story/?fbclid=abc",
])
def test_variants_of_one_story_url_share_a_key(variant: str) -> None:
    assert url_key(variant) == "thetechportal.com/2026/03/09/story"


def test_meaningful_query_parameters_and_ports_are_kept() -> None:
    assert url_key("https://news.example/item?id=7&utm_campaign=x") == "news.example/item?id=7"
    assert url_key("https://news.example/item?b=2&a=1") == "news.example/item?a=1&b=2"
    assert url_key("http://127.0.0.1:8080/a/") == "127.0.0.1:8080/a"
    assert url_key("https://news.example/a") != url_key("https://news.example/b")


def test_a_url_without_a_host_has_no_key() -> None:
    assert url_key("not a url") == ""
    assert url_key("mailto:someone@example.com") == ""


def test_the_knowledge_base_knows_its_urls_and_sources(kb: KnowledgeBase) -> None:
    keys = knowledge_url_keys(kb)
    assert f"example-news.com/blog/{KALINOWSKI_ARTICLE}" in keys
    assert "other-outlet.com/2026/kalinowski-departs" in keys  # a source of the same story
