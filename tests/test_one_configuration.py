"""Every command honours one configuration: check, audit and serve agree on the same folder."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from ci_support import FIXTURES
from click.testing import CliRunner

from tilint.cli import main
from tilint.run.settings import RunOptions, SettingsError, configure
from tilint.web.app import create_app

CONFIG = """\
rules = ["rules/basic.yaml"]
select = ["test-case", "test-hard-to-reach", "test-complex-cases", "test-placement", "test-behaviour"]
ignore = ["test-complex-cases"]
exclude = ["drafts/"]

[severity]
test-case = "error"

[per-file-ignores]
"*.txt" = ["test-behaviour"]
"""

DOCUMENTS = {
    "policy.md": (
        "# Policy\n\nWe hold 40 cases.\n\nComplex cases need time.\n\n"
        "<!-- tilint-disable-next-line test-hard-to-reach -->\nHard to reach families.\n\n"
        "Challenging behaviour is common among hard to reach families.\n"
    ),
    "notes.txt": "Challenging behaviour and hard to reach cases.\n",
    "drafts/draft.md": "We hold 40 cases of hard to reach families.\n",
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder with a tilint.toml (extra rules, select, ignore, exclude, severity, per-file
    ignores), documents with an inline suppression, and the folder as the working directory."""
    (tmp_path / "rules").mkdir()
    shutil.copy(FIXTURES / "rules" / "basic.yaml", tmp_path / "rules" / "basic.yaml")
    (tmp_path / "tilint.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in DOCUMENTS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _key(finding: dict) -> tuple:
    return (finding["rule"], finding["severity"], finding["line"], finding["column"], finding["text"])


def _checked() -> dict[str, list[tuple]]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "."])
    assert result.exit_code == 1, result.output
    return {os.path.normpath(f["path"]): [_key(x) for x in f["findings"]] for f in json.loads(result.stdout)["files"]}


def _audited(out, *options: str) -> dict[str, list[tuple]]:
    result = CliRunner().invoke(main, ["audit", "-q", "--no-cache", "--jobs", "1", *options, ".", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (out / "documents.jsonl").read_text("utf-8").splitlines()]
    return {os.path.normpath(row["path"]): [_key(x) for x in row["findings"]] for row in rows}


def _served(project, names) -> dict[str, list[tuple]]:
    client = create_app(settings=configure(RunOptions())).test_client()
    served = {}
    for name in names:
        with open(project / name, "rb") as handle:
            response = client.post("/api/check", data={"file": (handle, name)})
        assert response.status_code == 200, response.get_json()
        served[name] = [_key(x) for x in response.get_json()["findings"]]
    return served


def test_check_audit_and_serve_report_the_same_findings_under_one_configuration(project):
    checked = _checked()
    assert sorted(checked) == ["notes.txt", "policy.md"]  # drafts/ excluded
    policy = checked["policy.md"]
    # test-complex-cases is ignored (so "cases" in "Complex cases" is a test-case), and the first
    # "Hard to reach" is suppressed
    assert [f[0] for f in policy] == ["test-case", "test-case", "test-behaviour", "test-hard-to-reach"]
    assert policy[0][1] == "error"  # the configured severity
    assert "test-behaviour" not in {f[0] for f in checked["notes.txt"]}  # the per-file ignore
    assert _audited(project / "out") == checked
    assert _served(project, ["policy.md", "notes.txt"]) == checked


def test_audit_and_check_after_it_leave_the_audit_output_out(project):
    _audited(project / "report")
    assert sorted(_checked()) == ["notes.txt", "policy.md"]


def test_audit_config_names_the_configuration_file_to_use(project, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(
        main, ["audit", "-q", "--no-cache", "--config", str(project / "tilint.toml"), str(project), "-o", "out"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (elsewhere / "out" / "documents.jsonl").read_text("utf-8").splitlines()]
    assert sorted(os.path.basename(row["path"]) for row in rows) == ["notes.txt", "policy.md"]


def test_audit_no_config_ignores_the_configuration_file(project):
    result = CliRunner().invoke(main, ["audit", "-q", "--no-cache", "--no-config", ".", "-o", "out"])
    assert result.exit_code == 0, result.output
    paths = [json.loads(line)["path"] for line in (project / "out" / "documents.jsonl").read_text("utf-8").splitlines()]
    assert "drafts/draft.md" in {os.path.normpath(p) for p in paths}


def test_serve_config_loads_the_configuration_file(project, monkeypatch):
    import tilint.cli.serve as serve_module

    apps = []

    class Stop(Exception):
        pass

    def capture(app, host, port):
        apps.append(app)
        raise Stop

    monkeypatch.setattr(serve_module, "make_server", capture)
    monkeypatch.chdir(project.parent)
    result = CliRunner().invoke(main, ["serve", "--config", str(project / "tilint.toml")])
    assert isinstance(result.exception, Stop)
    response = apps[0].test_client().post("/api/check", json={"text": "We hold 40 cases. Complex cases need time.\n"})
    assert [f["rule"] for f in response.get_json()["findings"]] == ["test-case", "test-case"]
    assert response.get_json()["findings"][0]["severity"] == "error"


def test_a_configuration_naming_an_unknown_rule_stops_every_command(project):
    (project / "tilint.toml").write_text(CONFIG.replace('"test-complex-cases"]', '"no-such-rule"]'), encoding="utf-8")
    for command in (["check", "."], ["audit", ".", "-o", "out"], ["serve"], ["fix", "."]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, (command, result.output)
        assert "unknown rule or category: no-such-rule" in result.stderr


def test_an_unknown_rule_on_the_command_line_names_the_option(project):
    with pytest.raises(SettingsError, match="--select/--ignore: unknown rule or category: nope"):
        configure(RunOptions(select=("nope",)))
