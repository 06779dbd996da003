"""`tilint serve`: where it listens, what it warns about, and how it fails."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

pytest.importorskip("flask")

from tilint.cli import main
from tilint.cli import serve as serve_module


class FakeServer:
    """Stands in for the Werkzeug server: records what it was given and 'stops' at once."""

    def __init__(self, app, host, port):
        self.app, self.host, self.port = app, host, port or 54321
        self.closed = False

    def serve_forever(self):
        raise KeyboardInterrupt

    def server_close(self):
        self.closed = True


@pytest.fixture
def started(monkeypatch, test_rules):
    """`tilint serve` with the fixture rules, a fake server, and no spaCy warm-up."""
    from tilint.web.checking import Checker

    servers: list[FakeServer] = []
    monkeypatch.setattr("tilint.cli.common.load_rules_or_exit", lambda paths: test_rules)
    monkeypatch.setattr(Checker, "warm_up", lambda self: None)

    def fake(app, host, port):
        servers.append(FakeServer(app, host, port))
        return servers[-1]

    monkeypatch.setattr(serve_module, "make_server", fake)
    return servers


def run(*args: str):
    return CliRunner().invoke(main, ["serve", *args])


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_addresses_need_no_warning(host):
    assert serve_module.exposure_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "my-laptop.local"])
def test_any_other_address_is_warned_about(host):
    warning = serve_module.exposure_warning(host)
    assert warning is not None and host in warning and "other computers" in warning


def test_by_default_it_listens_on_this_computer_only(started):
    result = run()
    assert result.exit_code == 0, result.output
    server = started[0]
    assert (server.host, server.port) == ("127.0.0.1", 8080)
    assert "warning" not in result.stderr
    assert "tilint is serving http://127.0.0.1:8080/" in result.stderr
    assert server.closed


def test_on_this_computer_only_other_host_names_are_refused(started):
    run()
    assert started[0].app.config["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost"]


def test_listening_on_the_network_prints_a_warning_on_stderr(started):
    result = run("--host", "0.0.0.0", "--port", "9000")
    assert result.exit_code == 0
    assert "tilint: warning: listening on 0.0.0.0" in result.stderr
    assert "warning" not in result.stdout
    assert started[0].app.config["TRUSTED_HOSTS"] is None


def test_the_upload_limit_is_configurable(started):
    run("--max-upload-mb", "5")
    config = started[0].app.config
    assert config["MAX_CONTENT_LENGTH"] == config["MAX_FORM_MEMORY_SIZE"] == 5_000_000


def test_the_app_uses_the_rules_and_selection_given(started):
    run("--select", "test-case")
    client = started[0].app.test_client()
    body = client.post("/api/check", json={"text": "40 cases, hard to reach families"}).get_json()
    assert [f["rule"] for f in body["findings"]] == ["test-case"]


def test_extra_rule_files_are_loaded_as_in_check(monkeypatch):
    seen = []

    def load(paths):
        seen.append(paths)
        raise SystemExit(2)

    monkeypatch.setattr("tilint.cli.common.load_rules_or_exit", load)
    result = CliRunner().invoke(main, ["serve", "--rules", "a.yaml", "--rules", "b.yaml"])
    assert (result.exit_code, seen) == (2, [["a.yaml", "b.yaml"]])


def test_an_unknown_rule_in_select_is_a_usage_error(started):
    result = run("--select", "no-such-rule")
    assert result.exit_code == 2
    assert "unknown rule or category: no-such-rule" in result.stderr
    assert not started


def test_a_port_in_use_is_a_clear_usage_error(monkeypatch, test_rules):
    monkeypatch.setattr("tilint.cli.common.load_rules_or_exit", lambda paths: test_rules)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("--port", str(port))
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert f"--port {port + 1}" in result.stderr


@pytest.mark.parametrize(("host", "port", "url"), [
    ("127.0.0.1", 8080, "http://127.0.0.1:8080/"),
    ("0.0.0.0", 80, "http://127.0.0.1:80/"),
    ("::1", 8080, "http://[::1]:8080/"),
])
def test_the_printed_address_can_be_opened_in_a_browser(host, port, url):
    assert serve_module.url_for(host, port) == url


def test_help_describes_the_api():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "/api/check" in result.output and "--max-upload-mb" in result.output


def test_serving_leaves_the_callers_sigterm_handler_as_it_was(started):
    import signal

    before = signal.getsignal(signal.SIGTERM)
    run()
    assert signal.getsignal(signal.SIGTERM) is before
