#!/usr/bin/env bash
# The tilint Action's setup step: choose a Python, make a virtual environment for tilint (so a
# runner's system Python never hits PEP 668's externally-managed-environment error), and compute
# the cache keys. Writes `python`, `venv`, `bin`, `pip-cache`, `pip-key`, `pip-restore`,
# `cache-dir`, `cache-key` and `cache-restore` to $GITHUB_OUTPUT; runs without GitHub too (the
# tests drive it with temporary files).
set -euo pipefail

action_path="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
output="${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
runner_os="${RUNNER_OS:-$(uname -s)}"
home_cache="${TILINT_ACTION_CACHE:-$HOME/.cache/tilint-action}"
if command -v cygpath >/dev/null 2>&1; then
  home_cache="$(cygpath -m "$home_cache")"  # Windows: C:/Users/..., which bash and actions/cache both read
fi

python="${TILINT_PYTHON:-}"
if [ -z "$python" ]; then
  python="$(command -v python3 || command -v python || true)"
fi
if [ -z "$python" ] || ! "$python" -c 'import sys' >/dev/null 2>&1; then
  echo "::error title=tilint::No Python found. Set the action's python-version input (for example '3.11'), or install Python on the runner."
  exit 2
fi

# The interpreter's exact version and place: a cache made for one is no use to another.
py_id="$("$python" -c 'import platform, sys; print(f"{platform.python_implementation()}-{sys.version.split()[0]}")')"
hash_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@" | sha256sum | cut -c1-16
  else shasum -a 256 "$@" | shasum -a 256 | cut -c1-16; fi
}
project_hash="$(hash_of "$action_path/pyproject.toml")"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$action_path/pyproject.toml" | head -n 1)"
rules_hash="$(cd "$action_path" && hash_of rules/*.yaml)"

venv="$home_cache/venv-$py_id-$project_hash"
bin="$venv/bin"
case "$runner_os" in Windows*|MINGW*|MSYS*|CYGWIN*) bin="$venv/Scripts" ;; esac

{
  echo "python=$python"
  echo "venv=$venv"
  echo "bin=$bin"
  echo "pip-cache=$home_cache/pip"
  echo "pip-key=tilint-pip-$runner_os-$py_id-$project_hash"
  echo "pip-restore=tilint-pip-$runner_os-$py_id-"
  echo "cache-dir=$home_cache/results"
  echo "cache-key=tilint-results-$runner_os-$version-$rules_hash-${GITHUB_SHA:-local}"
  echo "cache-restore=tilint-results-$runner_os-$version-$rules_hash-"
} >> "$output"
