"""`quiz coverage` and the one paragraph rule it shares with the reader and authoring."""

from __future__ import annotations

import json

from quiz.content.coverage import coverage, to_json
from quiz.content.paragraphs import is_substantive, paragraphs
from tests.test_library_articles import PAGE, PAGE_ID, deck_citing, lib, run  # noqa: F401


def test_paragraphs_keep_offsets_into_the_text():
    text = "Title\n\nFirst paragraph here.\n  \n\nSecond\nline two.\n"
    paras = paragraphs(text)
    assert [p.index for p in paras] == [1, 2, 3]
    for p in paras:
        assert text[p.start : p.end] == p.text
    assert paras[2].text == "Second\nline two."


def test_furniture_is_not_substantive():
    assert not is_substantive("By Richard Weitz")
    assert not is_substantive(
        "Enjoying this article? Click here to subscribe for full access. Just $5 a month."
    )
    assert is_substantive(
        "The core territorial dispute concerns four islands north of Hokkaido, seized in 1945."
    )


def test_coverage_json_counts_paragraphs_and_taught_ones(lib):  # noqa: F811
    assert run("articles", "add", str(PAGE)).exit_code == 0
    decks = lib / "decks"
    decks.mkdir(parents=True)
    (decks / "mine.yaml").write_text(
        deck_citing(PAGE_ID, "the largest dam removal in American history")
    )
    (decks / "other.yaml").write_text(
        deck_citing(PAGE_ID, "largest dam removal in American history, chinook salmon", "other")
    )
    result = run("coverage", "--article", PAGE_ID, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (article,) = data["articles"]
    assert (article["id"], article["paragraphs"], article["covered"]) == (PAGE_ID, 5, 1)
    first = article["items"][0]
    assert first["paragraph"] == 1 and first["text"].startswith("Ten years after")
    assert first["cards"] == ["mine:one", "other:one"]
    assert [i["cards"] for i in article["items"][1:]] == [[], [], [], []]
    assert article["shared"][0]["decks"] == ["mine", "other"]
    only = json.loads(run("coverage", "--deck", "other", "--format", "json").stdout)
    assert [a["id"] for a in only["articles"]] == [PAGE_ID]
    assert run("coverage", "--article", "nope").exit_code == 2


def test_bundled_coverage_every_quote_located(library, catalog):
    report = coverage(library, catalog.decks)
    assert {a.article.id for a in report} == set(library.articles)
    assert all(not a.unlocated for a in report)
    data = to_json(report)
    for a in data["articles"]:
        assert 0 < a["covered"] <= a["paragraphs"]


def test_marked_furniture_is_not_counted_and_a_quote_it_repeats_is_placed_in_the_body(
    library, catalog
):
    # wrong-premise's image caption (furniture in seeds/articles.yaml) repeats a clause of the
    # body, and reads as prose: coverage must neither count it nor credit it with the cards.
    (eyal,) = coverage(library, catalog.decks, ["wrong-premise"])
    caption = next(i for i in eyal.items if i.paragraph.text.startswith("Main Image Credit"))
    assert caption.paragraph.furniture and not caption.paragraph.substantive
    assert is_substantive(caption.paragraph.text)  # by its words alone it would count
    assert caption not in eyal.substantive and not caption.cards
    body = next(i for i in eyal.items if "more than seven decades" in i.paragraph.text)
    assert "timeline:seizure-to-declaration-years" in body.cards


def test_paragraphs_mostly_inside_a_furniture_span_are_furniture():
    text = "Photo: a harbour at dawn, by the staff.\n\nThe harbour reopened in May after years."
    caption = (0, len("Photo: a harbour at dawn, by the staff"))  # its last dot not in the span
    first, second = paragraphs(text, [caption])
    assert first.furniture and not second.furniture
