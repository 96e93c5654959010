"""`quiz serve`: the textual-serve Server it builds, and the warning off loopback."""

from __future__ import annotations

import shlex
import sys

import pytest
import textual_serve.server
from click.testing import CliRunner

from quiz.cli import serve as serve_cmd
from quiz.cli.main import cli


@pytest.fixture
def servers(monkeypatch):
    made = []

    class FakeServer:
        def __init__(self, command, host="localhost", port=8000, title=None, public_url=None):
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
    monkeypatch.setattr(serve_cmd, "lan_address", lambda: "192.0.2.7")
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
    ]
    assert server.args["public_url"] is None
    assert "warning" not in result.output


def test_other_hosts_get_a_warning(tmp_path, servers):
    db = tmp_path / "q.db"
    result = CliRunner().invoke(
        cli, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "8123"]
    )
    assert result.exit_code == 0, result.output
    assert "warning: serving on 0.0.0.0" in result.output and "no password" in result.output
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
