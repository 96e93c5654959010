"""The user library and `quiz articles`: adding text, Markdown and HTML, hostile inputs, lint
and the catalog seeing library articles and decks, and bundled ids never shadowed."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli
from quiz.content.catalog import load_catalog
from quiz.content.library import current_library, user_library

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "article_with_furniture.html"
PAGE_ID = "salmon-return-to-the-elwha-river"


@pytest.fixture
def lib(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "library"
    monkeypatch.setenv("QUIZ_LIBRARY", str(root))
    return root


def run(*args: str):
    return CliRunner().invoke(
        cli, list(args), obj={}, env={"QUIZ_LIBRARY": os.environ["QUIZ_LIBRARY"]}
    )


def files_in(root: Path) -> list[str]:
    return (
        sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
    )


def test_html_page_keeps_the_body_and_drops_the_furniture(lib):
    result = run("articles", "add", str(PAGE))
    assert result.exit_code == 0, result.output
    article = current_library().get(PAGE_ID)
    assert article is not None
    assert (article.title, article.author, article.date) == (
        "Salmon Return to the Elwha River",
        "Maria Okafor",
        "2021-06-14",
    )
    assert article.publication == "The Coastal Ledger"
    paras = article.text.strip().split("\n\n")
    assert len(paras) == 5
    assert paras[0].startswith("Ten years after the largest dam removal")
    assert paras[-1].startswith("The tribe's fisheries manager")
    for furniture in (
        "Subscribe",
        "cookies",
        "Related stories",
        "Orcas",
        "All rights",
        "dataLayer",
        "Photo:",
    ):
        assert furniture not in article.text


def test_adding_the_same_file_twice_is_a_no_op_and_a_taken_id_is_refused(lib, tmp_path):
    assert run("articles", "add", str(PAGE)).exit_code == 0
    before = {p: (lib / p).read_bytes() for p in files_in(lib)}
    again = run("articles", "add", str(PAGE))
    assert again.exit_code == 0
    assert {p: (lib / p).read_bytes() for p in files_in(lib)} == before
    other = tmp_path / "other.txt"
    other.write_text("A different text with the same title, long enough to count as a paragraph.\n")
    clash = run("articles", "add", str(other), "--id", PAGE_ID)
    assert clash.exit_code != 0
    assert clash.stderr.startswith("quiz: ") and PAGE_ID in clash.stderr
    bundled = run("articles", "add", str(other), "--id", "thorn-in-ties")
    assert bundled.exit_code != 0 and "thorn-in-ties" in bundled.stderr
    assert {p: (lib / p).read_bytes() for p in files_in(lib)} == before


def test_text_and_markdown_with_given_metadata(lib, tmp_path):
    txt = tmp_path / "notes.txt"
    first = b"The first paragraph is here and it has plenty of words in it.\r\n"
    second = b"The second paragraph follows after a blank line, as paragraphs do.\r\n"
    txt.write_bytes(b"\xef\xbb\xbfField Notes\r\n\r\n" + first + b"\r\n" + second)
    result = run("articles", "add", str(txt), "--author", "Ann Lee", "--date", "2020-01-02")
    assert result.exit_code == 0, result.output
    a = current_library().get("field-notes")
    assert (a.title, a.author, a.date) == ("Field Notes", "Ann Lee", "2020-01-02")
    assert a.text == (
        "Field Notes\n\nThe first paragraph is here and it has plenty of words in it.\n\n"
        "The second paragraph follows after a blank line, as paragraphs do.\n"
    )
    md = tmp_path / "post.md"
    md.write_text(
        "---\ntitle: A Post\nauthor: Bo Chen\ndate: 2019-05-06\n---\n# A Post\n\n"
        "Some **bold** claim with a [link](http://x.example) in a long enough sentence.\n"
    )
    assert run("articles", "add", str(md), "--id", "post").exit_code == 0
    p = current_library().get("post")
    assert (p.title, p.author, p.date) == ("A Post", "Bo Chen", "2019-05-06")
    assert "Some bold claim with a link in a long enough sentence." in p.text
    assert "**" not in p.text and "http" not in p.text


@pytest.mark.parametrize(
    "name, data",
    [
        ("empty.txt", b""),
        ("blank.txt", b"  \n\n \n"),
        ("binary.txt", bytes(range(256)) * 4),
        ("latin1.txt", "Caf\u00e9 au lait, a paragraph of French words.".encode("latin-1")),
        (
            "menu.html",
            b"<html><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav></body></html>",
        ),
        ("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
        ("sheet.xlsx", b"PK\x03\x04 not a spreadsheet really"),
    ],
)
def test_hostile_inputs_are_one_line_and_write_nothing(lib, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = run("articles", "add", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("quiz: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert files_in(lib) == []


def test_a_directory_and_a_huge_file_are_refused(lib, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    assert run("articles", "add", str(folder)).stderr.startswith("quiz: ")
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.seek(50 * 2**20)
        f.write(b"x")
    result = run("articles", "add", str(big))
    assert result.exit_code == 2 and result.stderr.startswith("quiz: ")
    assert run("articles", "add", str(tmp_path / "missing.txt")).exit_code == 2
    assert files_in(lib) == []


def deck_citing(article: str, quote: str, deck_id: str = "mine") -> str:
    return textwrap.dedent(
        f"""\
        deck:
          id: {deck_id}
          title: Mine
          articles: [{article}]
        cards:
          - id: one
            type: basic
            prompt: What happened to the dams?
            answer: They were removed.
            explanation: The article says so.
            source:
              article: {article}
              quote: "{quote}"
        """
    )


def test_library_decks_lint_clean_and_a_promo_quote_is_refused(lib):
    assert run("articles", "add", str(PAGE)).exit_code == 0
    decks = lib / "decks"
    decks.mkdir(parents=True)
    (decks / "mine.yaml").write_text(
        deck_citing(PAGE_ID, "the largest dam removal in American history")
    )
    clean = run("lint")
    assert clean.exit_code == 0, clean.output
    assert any(d.id == "mine" for d in load_catalog().decks)
    (decks / "mine.yaml").write_text(
        deck_citing(PAGE_ID, "unlimited access to award-winning coverage")
    )
    bad = run("lint")
    assert bad.exit_code == 1
    assert f"{decks / 'mine.yaml'}:13: card 'one': quote not found" in bad.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])  # 2: the files linted in worker processes
def test_a_library_deck_cannot_shadow_a_bundled_id(lib, jobs):
    decks = lib / "decks"
    decks.mkdir(parents=True)
    (decks / "copy.yaml").write_text(
        deck_citing(
            "thorn-in-ties", "what the Japanese call their Northern Territories", "thorn-in-ties"
        )
    )
    result = run("lint", "--jobs", jobs)
    assert result.exit_code == 1
    line = result.stdout.strip()
    assert str(decks / "copy.yaml") in line and "thorn-in-ties.yaml" in line
    catalog = load_catalog()
    assert [d.path for d in catalog.decks if d.id == "thorn-in-ties"][0].endswith(
        "decks/thorn-in-ties.yaml"
    )
    assert str(decks) not in " ".join(d.path for d in catalog.decks)


def test_list_show_and_remove(lib):
    assert run("articles", "add", str(PAGE)).exit_code == 0
    listed = json.loads(run("articles", "list", "--format", "json").stdout)["articles"]
    mine = [a for a in listed if a["id"] == PAGE_ID][0]
    assert mine["source"] == "library" and mine["paragraphs"] == 5
    assert {a["source"] for a in listed if a["id"] != PAGE_ID} == {"bundled"}
    table = run("articles", "list").stdout.splitlines()
    assert table[0].split() == ["id", "title", "author", "publication", "date", "source", "paras"]
    (row,) = [line for line in table if line.startswith(PAGE_ID + " ")]
    assert "library" in row and (mine["publication"] or "-") in row
    shown = run("articles", "show", PAGE_ID)
    assert shown.stdout == current_library().get(PAGE_ID).text
    decks = lib / "decks"
    decks.mkdir(parents=True)
    (decks / "mine.yaml").write_text(
        deck_citing(PAGE_ID, "the largest dam removal in American history")
    )
    refused = run("articles", "remove", PAGE_ID)
    assert refused.exit_code == 1 and "mine" in refused.stderr
    (decks / "mine.yaml").unlink()
    assert run("articles", "remove", PAGE_ID).exit_code == 0
    assert current_library().get(PAGE_ID) is None
    assert files_in(lib / "articles") == ["articles.yaml"]
    assert run("articles", "remove", "thorn-in-ties").exit_code == 1


def test_index_cannot_point_outside_its_folder(lib):
    articles = user_library().articles_dir
    articles.mkdir(parents=True)
    (articles / "articles.yaml").write_text("- id: evil\n  file: ../../../etc/passwd\n  title: x\n")
    result = run("lint")
    assert result.exit_code == 2 and result.stderr.startswith("quiz: ")


def test_library_option_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_LIBRARY", str(tmp_path / "unused"))
    root = tmp_path / "chosen"
    result = run("articles", "add", str(PAGE), "--library", str(root))
    assert result.exit_code == 0, result.output
    assert (root / "articles" / f"{PAGE_ID}.txt").is_file()
