"""`quiz serve`: the app in web browsers through textual-serve, one app process per tab."""

from __future__ import annotations

import atexit
import ipaddress
import os
import re
import secrets
import shlex
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import click

from quiz.cli.common import db_option, fail, library_option, open_db

WARNING = (
    "warning: serving on {host}: anyone who can reach this machine on port {port} can open "
    "quiz's page; the class password is the only lock and the traffic is plain http (not "
    "encrypted): use it only on a network you trust"
)
GUEST = "guest"  # who a tab is until its learner picks themselves (l, with their PIN if set)
CDN_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.S)
LOCAL_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf");
      }
    </style>"""


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
    return f"{shlex.quote(sys.executable)} -m quiz --db {shlex.quote(str(db))} --learner {GUEST}"


def offline_templates() -> Path:
    """textual-serve's page with its web font from the same server instead of a public CDN
    (the font file ships with textual-serve): an offline classroom gets the whole page. Made
    from the installed template, so a newer textual-serve keeps its own page."""
    import textual_serve

    page = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    html = CDN_FONT.sub(LOCAL_FONT, page.read_text(encoding="utf-8"))
    folder = Path(tempfile.mkdtemp(prefix="quiz-serve-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "app_index.html").write_text(html, encoding="utf-8")
    return folder


def new_password() -> str:
    """Easy to write on a board: 10 lowercase letters and digits, no look-alikes."""
    return "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))


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
@click.option(
    "--password",
    envvar="QUIZ_SERVE_PASSWORD",
    help="The class password each tab asks for first (env QUIZ_SERVE_PASSWORD). Required off "
    "loopback: generated and printed when not given.",
)
@db_option
def command(host: str, port: int, public_url: str | None, password: str | None, db: Path | None):
    """Serve quiz to web browsers (textual-serve): each tab runs its own quiz on the same
    database, as a learner: it starts as 'guest' and picks its learner with l (asking that
    learner's PIN when one is set: `quiz learners set NAME --pin`). Listens on this machine
    only unless --host says otherwise; then a class password is required. Ctrl+C stops it."""
    try:
        from textual_serve.server import Server
    except ImportError:
        fail("quiz serve needs textual-serve: pip install textual-serve", 2)
    store = open_db(db)  # fail now, in one line, rather than in every tab
    path = store.path.resolve()
    store.close()
    if not is_loopback(host):
        click.echo(WARNING.format(host=host, port=port), err=True)
        if not password:
            password = new_password()
            click.echo(f"class password: {password}", err=True)
        if public_url is None and host in ("0.0.0.0", "::", ""):
            # Browsers on other machines cannot use 0.0.0.0 to reach the app's websocket.
            public_url = f"http://{lan_address()}:{port}"
    from quiz.store.pins import hash_secret
    from quiz.tui.served import GATE_ENV, SERVED_ENV

    # textual-serve gives each tab's process this environment: the tabs know they are served,
    # and get the password's hash, never the password.
    os.environ[SERVED_ENV] = "1"
    if password:
        os.environ[GATE_ENV] = hash_secret(password)
    else:
        os.environ.pop(GATE_ENV, None)
    server = Server(
        app_command(path),
        host=host,
        port=port,
        title="quiz",
        public_url=public_url,
        templates_path=offline_templates(),
    )
    server.serve()
