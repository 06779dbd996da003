"""The tilint Action's check step: turn the action's inputs into one `tilint check` run.

Inputs arrive as environment variables (never pasted into a shell script, so no input can inject a
command). `paths` is split one path per line when it has several lines (for names with spaces),
else like a shell would (quotes group words); `args` like a shell would. The report goes to a file
for file formats (sarif defaults to tilint.sarif, gitlab to gl-code-quality-report.json), the
exit status and the report's path to the step's outputs. Standard library only: it runs on the
interpreter in tilint's virtual environment.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

DEFAULT_OUTPUTS = {"sarif": "tilint.sarif", "gitlab": "gl-code-quality-report.json"}
#: formats whose output GitHub reads from the log, never from a file
LOG_FORMATS = {"github"}


def split_paths(value: str, cwd: Path | None = None) -> list[str]:
    """One path per line; or one line that names an existing path (spaces and all); or a line
    split like a shell would."""
    value = value.strip()
    if "\n" in value:
        return [line.strip() for line in value.splitlines() if line.strip()]
    if value and (Path(cwd or ".") / value).exists():
        return [value]
    return shlex.split(value)


def command(env: dict[str, str]) -> tuple[list[str], str]:
    """The tilint command line and the report file ("" when the report goes to the log)."""
    fmt = env.get("TILINT_FORMAT", "").strip() or "github"
    output = env.get("TILINT_OUTPUT", "").strip()
    if fmt in LOG_FORMATS:
        if output:
            print(f"::warning title=tilint::output is ignored for format {fmt}, which GitHub reads from the log")
        output = ""
    elif not output:
        output = DEFAULT_OUTPUTS.get(fmt, "")
    paths = split_paths(env.get("TILINT_PATHS", "")) or ["."]
    tilint = str(Path(env.get("TILINT_BIN", "")) / "tilint") if env.get("TILINT_BIN") else "tilint"
    return [tilint, "check", "--format", fmt, *shlex.split(env.get("TILINT_ARGS", "")), "--", *paths], output


def main(env: dict[str, str]) -> int:
    argv, output = command(env)
    child_env = dict(env)
    if env.get("TILINT_SUMMARY", "true").strip().lower() == "false":
        child_env.pop("GITHUB_STEP_SUMMARY", None)
    print("Running: " + shlex.join(argv) + (f" > {shlex.quote(output)}" if output else ""), flush=True)
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        with open(output, "wb") as stream:
            code = subprocess.run(argv, stdout=stream, env=child_env, check=False).returncode
    else:
        code = subprocess.run(argv, env=child_env, check=False).returncode
    outputs = env.get("GITHUB_OUTPUT")
    if outputs:
        with open(outputs, "a", encoding="utf-8") as stream:
            stream.write(f"exit-code={code}\nreport={output}\n")
    if code == 1 and env.get("TILINT_FAIL", "true").strip().lower() == "false":
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main(dict(os.environ)))
