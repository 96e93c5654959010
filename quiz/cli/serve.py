"""`quiz serve`: the app in web browsers through textual-serve, one app process per tab."""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path

import click

from quiz.cli.common import db_option, fail, library_option, open_db

WARNING = (
    "warning: serving on {host}: anyone who can reach this machine on port {port} can use "
    "quiz and its database (there is no password); use it only on a network you trust"
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent: a UDP connect only
    picks the outgoing interface)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def app_command(db: Path) -> str:
    """The shell command each browser tab runs: this Python's quiz on this database."""
    return f"{shlex.quote(sys.executable)} -m quiz --db {shlex.quote(str(db))}"


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 opens it to the network (no authentication).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address browsers use, if not http://HOST:PORT (e.g. behind a proxy).",
)
@library_option
@db_option
def command(host: str, port: int, public_url: str | None, db: Path | None):
    """Serve quiz to web browsers (textual-serve): each tab runs its own quiz on the same
    database and picks its own learner on the home screen. Listens on this machine only
    unless --host says otherwise. Ctrl+C stops it."""
    try:
        from textual_serve.server import Server
    except ImportError:
        fail("quiz serve needs textual-serve: pip install textual-serve", 2)
    store = open_db(db)  # fail now, in one line, rather than in every tab
    path = store.path.resolve()
    store.close()
    if not is_loopback(host):
        click.echo(WARNING.format(host=host, port=port), err=True)
        if public_url is None and host in ("0.0.0.0", "::", ""):
            # Browsers on other machines cannot use 0.0.0.0 to reach the app's websocket.
            public_url = f"http://{lan_address()}:{port}"
    server = Server(app_command(path), host=host, port=port, title="quiz", public_url=public_url)
    server.serve()
