"""`quiz lint` against hostile deck files: never a traceback, never a crash, never code run.

Every file in tests/fixtures/hostile/ has an expected exit status and (for most) the message it
must produce. Files too big to commit (100 KB strings, 10,000 cards, 100,000 '[') are generated
in a temporary folder. Runs that could crash the interpreter itself (deep nesting: libyaml's
composer recurses in C) go through the real console script in a subprocess.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli.main import cli
from quiz.content.deck import parse_deck

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
PROBLEM_LINE = re.compile(r"^.+:\d+: ")
SUMMARY = re.compile(
    r"^\d+ decks, \d+ cards(: no problems|; \d+ problems|; \d+ files could not be read)$"
)
UNREADABLE = re.compile(
    r"^.+: (is a directory|not a regular file|cannot read \(.*\)|no such file or folder)$"
)
# Nothing raw from the terminal's control range may reach the output (newline aside).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

TOO_DEEP = "nested too deeply (more than 100 levels)"

# file -> (exit status, text that must appear in the output, or None)
EXPECT: dict[str, tuple[int, str | None]] = {
    # broken YAML and wrong shapes
    "invalid_yaml.yaml": (1, "invalid YAML"),
    "tabs.yaml": (1, ":7: tab used for indentation"),
    "cards_string.yaml": (1, "'cards' must be a list of cards, not text"),
    "cards_mapping.yaml": (1, "'cards' must be a list of cards, not a mapping"),
    "deck_list.yaml": (1, "'deck' must be a mapping"),
    "top_list.yaml": (1, "a deck file is a mapping"),
    "top_scalar.yaml": (1, "a deck file is a mapping"),
    "choices_mapping.yaml": (1, "card 'c1': 'choices' must be a list"),
    "answer_list.yaml": (1, "card 'c1': 'answer' must be text, not a list"),
    "answer_number_bool.yaml": (1, "'answer' must be text, not true/false"),
    "id_number.yaml": (1, "card without a text 'id'"),
    "prompt_mapping.yaml": (1, "'prompt' must be text, not a mapping"),
    "tags_string_items.yaml": (1, "'tags' items must be text"),
    "source_list.yaml": (1, "'source' must be a mapping"),
    "missing_fields.yaml": (1, "missing 'prompt'"),
    "multi_document.yaml": (1, "invalid YAML"),
    "weird_keys.yaml": (1, "mapping keys must be plain text"),
    "merge_key.yaml": (1, "mapping keys must be plain text"),
    "bad_ids.yaml": (1, "is not kebab-case"),
    "bad_scalars.yaml": (1, "bad value for int"),
    "huge_int.yaml": (1, "bad value for int"),
    "undefined_alias.yaml": (1, "undefined alias"),
    # tags that would construct Python objects (or anything but plain values)
    "python_apply.yaml": (1, "unsupported tag"),
    "python_apply_top.yaml": (1, "unsupported tag"),
    "python_apply_key.yaml": (1, "mapping keys must be plain text"),
    "python_name.yaml": (1, "unsupported tag"),
    "python_new.yaml": (1, "unsupported tag"),
    "python_object.yaml": (1, "unsupported tag"),
    "python_module.yaml": (1, "unsupported tag"),
    "binary.yaml": (1, "unsupported tag"),
    "local_tag.yaml": (1, "unsupported tag !evil"),
    # alias bombs and recursive aliases
    "bomb_top.yaml": (1, "unknown top-level key 'l9'"),
    "bomb_tags.yaml": (1, "'tags' items must be text"),
    "bomb_choices.yaml": (1, "'choices' items must be text"),
    "bomb_prompt.yaml": (1, "'prompt' must be text, not a list"),
    "bomb_everywhere.yaml": (1, "'deck' must be a mapping"),
    "bomb_deck_fields.yaml": (1, "each card is a mapping"),
    "bomb_mapping.yaml": (1, "source: unknown key"),
    "recursive_alias.yaml": (1, "'prompt' must be text, not a list"),
    # nesting: quiz's own message, whichever of quiz or libyaml (PyYAML 6.0.4) meets a limit first
    "deep_nesting.yaml": (1, TOO_DEEP),
    "deep_nesting_unclosed.yaml": (1, TOO_DEEP),
    "deep_blocks.yaml": (1, TOO_DEEP),
    "deep_mappings.yaml": (1, TOO_DEEP),
    # encodings and empty files
    "non_utf8.yaml": (1, ":8: not UTF-8 text (byte 0xe9)"),
    "random_bytes.yaml": (1, "not UTF-8 text"),
    "utf16.yaml": (1, "the file is UTF-16; save it as UTF-8"),
    "utf16be_nobom.yaml": (1, "looks like UTF-16"),
    "nul_bytes_raw.yaml": (1, "control character 0x00"),
    "empty.yaml": (1, ":1: a deck file is a mapping"),
    "only_comment.yaml": (1, ":1: a deck file is a mapping"),
    "only_whitespace.yaml": (1, ":1: a deck file is a mapping"),
    "null_document.yaml": (1, ":1: a deck file is a mapping"),
    # these load clean
    "bom.yaml": (0, None),
    "crlf.yaml": (0, None),
    "bom_crlf.yaml": (0, None),
    "cr_only.yaml": (0, None),
    "bom_in_middle.yaml": (0, None),
    "markup.yaml": (0, None),
    "markup_clean.yaml": (0, None),
    "escapes_in_prompt_clean.yaml": (0, None),
    "unicode_clean.yaml": (0, None),
    "quote_folding.yaml": (0, None),
    "dates.yaml": (0, None),
    "null_bytes.yaml": (0, None),
    # YAML 1.1: unquoted yes is a boolean, so this truefalse card is valid (quoted "yes" is not)
    "truefalse_yaml11_yes.yaml": (0, None),
    # escape sequences: reported, printed escaped
    "escapes.yaml": (1, r"card 'evil\x1b[2J\x1b]0;pwned\x07': id must be kebab-case"),
    "escape_duplicate_key.yaml": (1, r"duplicate key '\x1b[2Jk'"),
    # authoring mistakes
    "duplicate_ids.yaml": (1, ":14: card 'c1': duplicate card id (first used on line 6)"),
    "duplicate_keys.yaml": (1, ":10: duplicate key 'prompt'"),
    "duplicate_top_keys.yaml": (1, "duplicate key 'cards'"),
    "unknown_keys.yaml": (1, "card 'c1': unknown key 'hint'"),
    "unknown_source_key.yaml": (1, "source: unknown key 'page'"),
    "mcq_answer_missing.yaml": (1, ":9: card 'c1': answer not among choices"),
    "mcq_2_choices.yaml": (1, "mcq needs 3 or 4 choices (has 2)"),
    "mcq_5_choices.yaml": (1, "mcq needs 3 or 4 choices (has 5)"),
    "mcq_repeated_choices.yaml": (1, "mcq choices repeat"),
    "mcq_no_choices.yaml": (1, "mcq card needs 'choices'"),
    "cloze_no_blank.yaml": (1, "cloze prompt has no {{blank}}"),
    "cloze_empty_blank.yaml": (1, "cloze blank is empty"),
    "cloze_with_answer.yaml": (1, "cloze cards have no 'answer'"),
    "truefalse_yes.yaml": (1, "truefalse answer must be true or false"),
    "truefalse_number.yaml": (1, "truefalse answer must be true or false"),
    "unknown_type.yaml": (1, "type must be one of"),
    "unknown_article.yaml": (1, "card 'c1': unknown article 'no-such-article'"),
    "unknown_deck_article.yaml": (1, "deck: unknown article 'no-such-article'"),
    "quote_not_in_article.yaml": (1, "quote not found in article 'thorn-in-ties'"),
    "quote_too_short.yaml": (1, "quote is too short"),
}

# Run through the installed console script in a subprocess: code execution attempts, and the
# files that would take the interpreter down if the depth guard regressed.
SUBPROCESS = {
    "python_apply.yaml",
    "python_apply_top.yaml",
    "python_new.yaml",
    "python_object.yaml",
    "escapes.yaml",
    "bomb_everywhere.yaml",
    "deep_nesting.yaml",
    "deep_nesting_unclosed.yaml",
    "deep_blocks.yaml",
    "deep_mappings.yaml",
    "markup.yaml",
}


def quiz_exe() -> str:
    beside = Path(sys.executable).with_name("quiz")
    return str(beside) if beside.exists() else (shutil.which("quiz") or "quiz")


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    proc = subprocess.run([quiz_exe(), *args], cwd=cwd, capture_output=True, timeout=120)
    return (
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def run_runner(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, obj={})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def check_output(code: int, out: str, err: str, expected_code: int, needle: str | None) -> None:
    assert code == expected_code, (code, out, err)
    assert "Traceback" not in out + err
    assert not CONTROL.search(out + err), repr((out + err)[:500])
    for line in out.splitlines():
        assert PROBLEM_LINE.match(line), repr(line)
    for line in err.splitlines():
        assert SUMMARY.match(line) or UNREADABLE.match(line), repr(line)
    if expected_code == 0:
        assert out == ""
        assert err.strip().endswith("no problems")
    if needle is not None:
        assert needle in out, (needle, out)
    if needle == TOO_DEEP:
        # One problem for the file, however deep, on a line of its own: `path:line: message`.
        assert len(out.splitlines()) == 1 and re.match(rf"^.+:\d+: {re.escape(TOO_DEEP)}$", out), (
            out
        )


def test_every_fixture_has_an_expectation():
    on_disk = {p.name for p in HOSTILE.iterdir()}
    assert on_disk - {"SENTINEL"} == set(EXPECT)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_lint_hostile_file(name, tmp_path, monkeypatch):
    code_expected, needle = EXPECT[name]
    target = str(HOSTILE / name)
    if name in SUBPROCESS:
        code, out, err = run_cli(["lint", target], cwd=tmp_path)
    else:
        monkeypatch.chdir(tmp_path)
        code, out, err = run_runner(["lint", target])
    check_output(code, out, err, code_expected, needle)
    # !!python/object/apply:os.system ["touch SENTINEL"] and friends never ran.
    assert not (tmp_path / "SENTINEL").exists()
    assert not (HOSTILE / "SENTINEL").exists()


def test_lint_whole_hostile_folder_in_one_run(tmp_path):
    code, out, err = run_cli(["lint", str(HOSTILE)], cwd=tmp_path)
    check_output(code, out, err, 1, None)
    assert not (tmp_path / "SENTINEL").exists()
    # Each broken file reports at least one problem; clean ones report none.
    for name, (expected, _needle) in EXPECT.items():
        reported = f"{HOSTILE / name}:" in out
        assert reported == (expected == 1), name


def test_no_python_tag_is_ever_constructed(library, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in EXPECT:
        if name.startswith("python_"):
            result = parse_deck((HOSTILE / name).read_bytes(), name, library)
            assert result.errors
    assert not (tmp_path / "SENTINEL").exists()


# -- the files that load clean: what they load to ------------------------------------------------


def load(name, library):
    result = parse_deck((HOSTILE / name).read_bytes(), name, library)
    assert result.errors == [], [str(p) for p in result.errors]
    return result.deck


def test_bom_and_crlf_load_like_plain_files(library):
    plain = load("crlf.yaml", library)
    for name in ("bom.yaml", "bom_crlf.yaml", "cr_only.yaml"):
        deck = load(name, library)
        assert deck.id == "hostile"
        assert (
            deck.cards[0].prompt
            == plain.cards[0].prompt
            == "What do the Japanese call the islands?"
        )
        assert "\r" not in deck.cards[0].source.quote


def test_markup_is_kept_as_plain_text(library):
    card = load("markup.yaml", library).cards[0]
    assert card.prompt == (
        "[bold]Which[/bold] islands? [@click=app.quit]quit[/] [/oops] "
        "[link=https://x.invalid]x[/link]"
    )
    assert card.answer == "[red]Northern Territories"
    assert card.accept == ("[/oops]", "[@click=app.bell]")


def test_escape_sequences_in_prompts_load_raw_and_print_escaped(library):
    card = load("escapes_in_prompt_clean.yaml", library).cards[0]
    assert card.prompt == "Clear \x1b[2J screen"
    from quiz.text import plain, printable

    assert "\x1b" not in printable(card.prompt) and "\\x1b[2J" in printable(card.prompt)
    assert "\x1b" not in plain(card.prompt)


def test_quotes_fold_curly_quotes_and_whitespace(library):
    deck = load("quote_folding.yaml", library)
    assert [c.id for c in deck.cards] == ["c1", "c2"]
    # the source says "can’t" (curly); the deck writes "can't" with odd spacing and a newline
    assert "can't" in deck.cards[0].source.quote
    assert library.locate("thorn-in-ties", deck.cards[0].source.quote) is not None


def test_folding_maps_each_folded_character_back_to_the_text():
    from quiz.content.articles import _folded_with_map, fold

    text = "  It\u2019s \u201cthe\u201d\n\n\u2018islands\u2019\u2028 \u00e9t\u00e9  "
    folded, where = _folded_with_map(text)
    assert folded.strip() == fold(text) == "It's \"the\" 'islands' \u00e9t\u00e9"
    assert all(
        folded[i] == text[w] or text[w] in "\u2018\u2019\u201c\u201d" or folded[i] == " "
        for i, w in enumerate(where)
    )


# -- generated: too big to commit --------------------------------------------------------------

HEAD = "deck:\n  id: gen\n  title: Generated\n  articles: [thorn-in-ties]\ncards:\n"
QUOTE = (
    "what the Japanese call their Northern Territories and what the Russians term the "
    "Southern Kurils"
)


def card_yaml(cid: str, prompt: str = "Q?", answer: str = "A", extra: str = "") -> str:
    return (
        f"  - id: {cid}\n    type: typed\n    prompt: {prompt}\n    answer: {answer}\n{extra}"
        f'    explanation: E.\n    source:\n      article: thorn-in-ties\n      quote: "{QUOTE}"\n'
    )


BIG = "x" * 100_000
GENERATED = {
    "long_prompt.yaml": (
        HEAD + card_yaml("c1", prompt=BIG),
        1,
        "'prompt' is too long (100000 characters",
    ),
    "long_answer.yaml": (HEAD + card_yaml("c1", answer=BIG), 1, "'answer' is too long"),
    "long_id.yaml": (HEAD + card_yaml(BIG), 1, "id must be kebab-case"),
    # a plain key longer than 1024 characters is not YAML; an explicit "? key" is
    "long_plain_key.yaml": (HEAD + card_yaml("c1", extra=f"    {BIG}: 1\n"), 1, "invalid YAML"),
    "long_key.yaml": (
        HEAD + card_yaml("c1", extra=f"    ? {BIG}\n    : 1\n"),
        1,
        "unknown key 'xxxx",
    ),
    "long_tag.yaml": (
        HEAD + card_yaml("c1", extra=f"    tags: [{BIG}]\n"),
        1,
        "'tags' item is too long",
    ),
    "long_quote.yaml": (HEAD + card_yaml("c1").replace(QUOTE, BIG), 1, "'quote' is too long"),
    "long_line_of_brackets.yaml": ("cards: " + "[" * 100_000 + "]" * 100_000 + "\n", 1, TOO_DEEP),
    "long_blank_line.yaml": (" " * 1_000_000 + "\n", 1, "a deck file is a mapping"),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_lint_generated_hostile_file(name, tmp_path):
    text, expected, needle = GENERATED[name]
    path = tmp_path / name
    path.write_text(text)
    code, out, err = run_cli(["lint", str(path)], cwd=tmp_path)
    check_output(code, out, err, expected, needle)
    # A huge value never floods the terminal: every line stays short.
    assert max(len(line) for line in (out + err).splitlines()) < 3000


def test_ten_thousand_card_deck_loads(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text(
        HEAD + "".join(card_yaml(f"c{i}", prompt=f"Question {i}?") for i in range(10_000))
    )
    monkeypatch.chdir(tmp_path)
    code, out, err = run_runner(["lint", str(path)])
    # Ten thousand cards citing one passage are duplicates by construction: item-writing
    # warnings only (exit 0), each in the problem-line shape, and no error.
    assert code == 0, (code, err[-500:])
    assert "Traceback" not in out + err
    assert all(PROBLEM_LINE.match(x) and x.endswith("[same-question]") for x in out.splitlines())
    assert "1 decks, 10000 cards: no problems" in err


def test_unreadable_targets_exit_2(tmp_path, monkeypatch):
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "good.yaml").write_bytes((HOSTILE / "crlf.yaml").read_bytes())
    (folder / "sub.yaml").mkdir()  # a directory where a deck file should be
    monkeypatch.chdir(tmp_path)
    code, out, err = run_runner(["lint", str(folder)])
    check_output(code, out, err, 2, None)
    assert f"{folder / 'sub.yaml'}: is a directory" in err
    assert "1 decks, 1 cards; 1 files could not be read" in err

    code, out, err = run_runner(["lint", str(tmp_path / "missing.yaml")])
    check_output(code, out, err, 2, None)
    assert "missing.yaml: no such file or folder" in err

    # A missing file next to a broken one: still 2 (cannot read wins), and the problems print.
    code, out, err = run_runner(
        ["lint", str(tmp_path / "missing.yaml"), str(HOSTILE / "tabs.yaml")]
    )
    check_output(code, out, err, 2, None)
    assert "tab used for indentation" in out


def test_special_files_are_refused_not_read(tmp_path):
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # reading it would block forever
    code, out, err = run_cli(["lint", str(fifo), "/dev/zero"], cwd=tmp_path)
    check_output(code, out, err, 2, None)
    assert err.count("not a regular file") == 2


def test_hostile_file_names_print_escaped(tmp_path):
    evil = tmp_path / "evil\x1b[2J\nname.yaml"
    evil.write_bytes((HOSTILE / "tabs.yaml").read_bytes())
    code, out, err = run_cli(["lint", str(evil)], cwd=tmp_path)
    check_output(code, out, err, 1, r"evil\x1b[2J\nname.yaml:7: tab used")
    assert len(out.splitlines()) == 1


# -- deep nesting: one message of quiz's own, whichever PyYAML -----------------------------------


def test_deep_flow_nesting_is_reported_on_its_line():
    from quiz.content import yamlfile

    text = "deck: {id: deep}\ncards:\n  - " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(yamlfile.YamlError) as e:
        yamlfile.load(text)
    assert (e.value.line, e.value.message) == (3, TOO_DEEP)


@pytest.mark.parametrize(
    "problem, context",
    [
        (
            "exceeded maximum nesting depth",
            "while increasing flow level",
        ),  # libyaml with PyYAML 6.0.4
        ("maximum depth exceeded", None),  # any other words for it
        ("too much", "while increasing flow level"),
    ],
)
def test_a_yaml_library_nesting_limit_says_it_in_quiz_words(problem, context, monkeypatch):
    import yaml

    from quiz.content import yamlfile

    mark = yaml.Mark("<unicode string>", 0, 6, 1007, None, None)

    def parse(text, Loader):
        yield yaml.StreamStartEvent()
        raise yaml.scanner.ScannerError(context, mark, problem, mark)

    monkeypatch.setattr(yaml, "parse", parse)
    with pytest.raises(yamlfile.YamlError) as e:
        yamlfile.load("cards: [[[")
    assert (e.value.line, e.value.message) == (7, TOO_DEEP)


def test_other_syntax_errors_are_not_taken_for_nesting():
    from quiz.content import yamlfile

    with pytest.raises(yamlfile.YamlError) as e:
        yamlfile.load("cards: [a, b\n")
    assert e.value.message.startswith("invalid YAML") and "nested" not in e.value.message
