"""Known people and orgs by name and alias; unknown names as 'possibly new'."""

from __future__ import annotations

from bot.drafts.extract import extract_page
from bot.drafts.names import NamesFound, find_names
from bot.knowledge import KnowledgeBase
from tests.drafts.site import ABHS, PAGES, TECHPORTAL, THENEWS


def names_in(kb: KnowledgeBase, name: str) -> NamesFound:
    found = extract_page((PAGES / f"{name}.html").read_bytes(), "http://127.0.0.1:1/x.html")
    return find_names(kb, found.title, found.paragraphs)


def test_known_people_and_orgs_are_found_by_name_and_alias(kb: KnowledgeBase) -> None:
    found = names_in(kb, TECHPORTAL)
    assert found.people == ("caitlin-kalinowski",)  # "Caitlin Kalinowski" and "Kalinowski"
    assert found.orgs == ("openai", "meta")


def test_most_mentioned_come_first(kb: KnowledgeBase) -> None:
    found = names_in(kb, ABHS)
    assert found.people[0] == "caitlin-kalinowski"
    assert set(found.people) == {"caitlin-kalinowski", "sam-altman", "jan-leike"}
    assert found.orgs[0] == "openai"


def test_unknown_names_are_listed_as_possibly_new(kb: KnowledgeBase) -> None:
    assert names_in(kb, THENEWS).possibly_new == ("Mrinank Sharma", "Claude Opus")
    seed = names_in(kb, ABHS).possibly_new
    assert {"Ilya Sutskever", "Paul Christiano", "William Saunders"} <= set(seed)
    portal = names_in(kb, TECHPORTAL).possibly_new
    assert "TechCrunch" in portal and "Bloomberg" in portal


def test_ordinary_words_headings_and_nationalities_are_not_names(kb: KnowledgeBase) -> None:
    seed = names_in(kb, ABHS).possibly_new
    for word in ("Pentagon", "Targeting", "Cybersecurity", "American", "European",
                 "Who Is Caitlin Kalinowski", "Chief Scientist", "Head of Alignment",
                 "Kalinowski", "OpenAI"):
        assert word not in seed


def test_a_first_name_inside_someone_elses_name_is_not_a_match(kb: KnowledgeBase) -> None:
    found = find_names(kb, "A new fund", ["Sam Bankman-Fried was sentenced in New York."])
    assert found.people == ()
    assert found.possibly_new == ("Sam Bankman-Fried", "New York")


def test_capitals_matter_for_capitalised_aliases(kb: KnowledgeBase) -> None:
    found = find_names(kb, "Study", ["A meta-analysis of facebook posts found little."])
    assert found.orgs == ()  # not Meta, not Facebook
    found = find_names(kb, "Study", ["Meta, which owns Facebook, said so."])
    assert found.orgs == ("meta",)


def test_accents_do_not_matter(kb: KnowledgeBase) -> None:
    found = find_names(kb, "Interview", ["Câitlin Kalinówski spoke on Monday."])
    assert found.people == ("caitlin-kalinowski",)
