"""`quiz serve`: the textual-serve Server it builds, and the warning off loopback."""

from __future__ import annotations

import os
import re
import shlex
import sys

import pytest
import textual_serve.server
from click.testing import CliRunner

from quiz.cli import serve as serve_cmd
from quiz.cli.main import cli
from quiz.tui.served import GATE_ENV, SERVED_ENV


@pytest.fixture
def servers(monkeypatch):
    made = []

    class FakeServer:
        def __init__(
            self, command, host="localhost", port=8000, title=None, public_url=None, **more
        ):
            self.more = more
            self.args = {
                "command": command,
                "host": host,
                "port": port,
                "title": title,
                "public_url": public_url,
            }
            made.append(self)

        def serve(self, debug=False):
            self.served = True

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    # `quiz serve` marks its own process's environment for the tabs it starts; here that
    # process is pytest's, so the marks must go when the test ends or later apps are gated.
    for name in (SERVED_ENV, GATE_ENV):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setattr(serve_cmd, "lan_address", lambda: "192.0.2.7")
    for name in ("QUIZ_SERVED", "QUIZ_SERVE_GATE", "QUIZ_SERVE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return made


def test_defaults_to_loopback_and_passes_the_db(tmp_path, servers):
    db = tmp_path / "class room.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "serve"])
    assert result.exit_code == 0, result.output
    (server,) = servers
    assert server.served
    assert server.args["host"] == "127.0.0.1" and server.args["port"] == 8000
    assert shlex.split(server.args["command"]) == [
        sys.executable,
        "-m",
        "quiz",
        "--db",
        str(db.resolve()),
        "--learner",
        "guest",
    ]
    assert server.args["public_url"] is None
    assert "warning" not in result.output


def test_other_hosts_get_a_warning(tmp_path, servers):
    db = tmp_path / "q.db"
    result = CliRunner().invoke(
        cli, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "8123"]
    )
    assert result.exit_code == 0, result.output
    assert "warning: serving on 0.0.0.0" in result.output and "password" in result.output
    args = servers[0].args
    assert args["host"] == "0.0.0.0" and args["port"] == 8123
    assert args["public_url"] == "http://192.0.2.7:8123"  # what other machines' browsers can reach


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host, loopback):
    assert serve_cmd.is_loopback(host) is loopback


def test_a_bad_db_fails_before_serving(tmp_path, servers):
    bad = tmp_path / "x.db"
    bad.write_text("not a database")
    result = CliRunner().invoke(cli, ["serve", "--db", str(bad)])
    assert result.exit_code == 2 and "not a quiz database" in result.output
    assert servers == []


def test_off_loopback_a_password_is_generated_and_only_its_hash_reaches_the_tabs(tmp_path, servers):
    import re

    from quiz.store.pins import check_secret

    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "q.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    password = re.search(r"class password: (\S+)", result.output).group(1)
    assert os.environ["QUIZ_SERVED"] == "1"
    gate = os.environ["QUIZ_SERVE_GATE"]
    assert password not in gate and check_secret(password, gate)


def test_a_given_password_is_used(tmp_path, servers, monkeypatch):

    from quiz.store.pins import check_secret

    monkeypatch.setenv("QUIZ_SERVE_PASSWORD", "tulips-42")
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "q.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 0 and "class password:" not in result.output
    assert check_secret("tulips-42", os.environ["QUIZ_SERVE_GATE"])


def test_the_page_needs_no_internet(tmp_path, servers):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "q.db")])
    assert result.exit_code == 0, result.output
    folder = servers[0].more["templates_path"]
    page = (folder / "app_index.html").read_text()
    assert "fonts.googleapis.com" not in page
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in page
    # Every other URL in the page is the server's own (the one left is an SVG namespace).
    assert re.findall(r"https?://[^\s\"']+", page) == ["http://www.w3.org/2000/svg"]
