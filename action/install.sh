#!/usr/bin/env bash
# The tilint Action's install step: tilint from the action's own checkout into its virtual
# environment, with pip's download cache at PIP_CACHE_DIR (restored by actions/cache).
set -euo pipefail

venv="${TILINT_VENV:?}"
bin="${TILINT_BIN:?}"
python="${TILINT_PYTHON:?}"
action_path="${GITHUB_ACTION_PATH:?}"

if [ ! -x "$bin/python" ] && [ ! -x "$bin/python.exe" ]; then
  if ! "$python" -m venv "$venv"; then
    echo "::error title=tilint::'$python -m venv' failed. On Debian or Ubuntu install python3-venv (apt-get install python3-venv), or set the action's python-version input."
    exit 2
  fi
fi
"$bin/python" -m pip install --disable-pip-version-check --quiet "$action_path"
"$bin/tilint" --version
