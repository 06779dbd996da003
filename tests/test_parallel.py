"""Checking on several cores gives exactly what checking on one gives."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tilint.cli import main
from tilint.parallel import MIN_FILES_PER_WORKER, auto_jobs

FIXTURE = "tests/fixtures/rules/basic.yaml"


def test_parallel_and_sequential_checks_report_the_same(tmp_path):
    for i in range(12):
        (tmp_path / f"doc{i:02}.md").write_text(
            f"# Doc {i}\n\nWe hold {i} cases.\n\n<!-- tilint-disable-next-line -->\nHard to reach families.\n\n"
            "Complex cases and hard-to-reach young people.\n",
            encoding="utf-8",
        )
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01binary")
    args = ["check", "--no-cache", "--no-config", "--format", "json", "--rules", FIXTURE, str(tmp_path)]
    one = CliRunner().invoke(main, [*args, "--jobs", "1"])
    two = CliRunner().invoke(main, [*args, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 2
    first, second = json.loads(one.stdout), json.loads(two.stdout)
    assert first["files"] == second["files"] and first["summary"] == second["summary"]
    assert first["summary"]["findings"] > 12


def test_small_runs_stay_in_one_process():
    assert auto_jobs(MIN_FILES_PER_WORKER - 1, 0) == 1
    assert auto_jobs(5, 3) == 3
