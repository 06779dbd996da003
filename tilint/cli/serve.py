"""`tilint serve`: run the web page and JSON API on this computer.

The server is Werkzeug's threaded WSGI server (the one Flask is built on): enough for one
person or a small team on a local machine, with no extra dependency. It listens on 127.0.0.1
unless told otherwise, because the page accepts documents that may be confidential.
"""

from __future__ import annotations

import contextlib
import ipaddress
import sys

import click

from tilint.cli.common import configured, fail
from tilint.cli.options import Execution, execution_options, run_options

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_MAX_UPLOAD_MB = 20


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach a server bound to `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """The warning printed when the server is reachable from other computers, or None."""
    if is_loopback(host):
        return None
    return (
        f"tilint: warning: listening on {host}, so other computers on the network can reach this page and "
        "send it documents. There is no login and no encryption (HTTPS). Use --host 127.0.0.1 unless you "
        "mean to share it on a network you trust."
    )


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def make_server(app, host: str, port: int):
    """A threaded Werkzeug server bound to host:port (port 0 picks a free one; `.port` says which).

    The socket is bound here rather than by Werkzeug, which answers a port in use by printing and
    calling sys.exit; an OSError lets the command say what to do instead.
    """
    import socket

    from werkzeug.serving import make_server as werkzeug_server

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.create_server((host.strip("[]"), port), family=family, backlog=128) as listener:
        return werkzeug_server(host, port, app, threaded=True, fd=listener.fileno())


@contextlib.contextmanager
def _stop_on_sigterm():
    """`kill` (as a service manager or CI sends) stops the server as cleanly as Ctrl+C does;
    the previous handler is put back afterwards."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (an embedding program): leave its signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on. Anything other than 127.0.0.1/localhost lets other computers in.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--max-upload-mb", default=DEFAULT_MAX_UPLOAD_MB, show_default=True,
              type=click.FloatRange(0.001, 1000), metavar="MB",
              help="Largest upload or pasted text accepted.")
@run_options()
@execution_options(max_size=False, cache=False)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default web browser.")
def serve(host, port, max_upload_mb, run, execution: Execution, open_browser) -> None:
    """Run a web page where people paste text or upload a document and see the findings highlighted.

    Also serves a JSON API: POST /api/check ({"text": ..., "format": "text"|"markdown"} or a
    multipart "file") and GET /api/rules. Stop it with Ctrl+C.

    Settings (extra rules, select, ignore, severities, per-file ignores, the model) come from the
    same configuration file as `tilint check`, and inline `tilint-disable` comments apply.

    Documents are checked on --jobs worker processes, each request under --file-timeout: a
    document that takes too long is answered with a message and holds up no one else's.
    """
    try:
        import flask  # noqa: F401
    except ImportError:
        fail("tilint serve needs Flask: pip install 'Flask>=3'")
    from tilint.run.limits import worker_count
    from tilint.web.app import LOCAL_HOSTS, create_app

    app = create_app(
        settings=configured(run),
        workers=worker_count(execution.jobs),
        timeout=execution.limits.file_timeout,
        max_upload_mb=max_upload_mb,
        trusted_hosts=LOCAL_HOSTS if host in LOCAL_HOSTS else None,
    )
    try:
        server = make_server(app, host, port)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        hint = f" (is another program using port {port}? try --port {port + 1})" if port else ""
        fail(f"cannot listen on {host}:{port}: {reason}{hint}")
    app.extensions["tilint"].warm_up()  # the workers start, and load spaCy in the background
    warning = exposure_warning(host)
    if warning:
        click.echo(warning, err=True)
    url = url_for(host, server.port)
    click.echo(f"tilint is serving {url}  (Ctrl+C to stop)", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        with _stop_on_sigterm():
            server.serve_forever()  # returns on Ctrl+C
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.extensions["tilint"].close()
    click.echo("tilint: stopped", err=True)
    sys.exit(0)


COMMANDS = [serve]
