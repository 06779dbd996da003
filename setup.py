"""Build hook: the wheel ships the built-in rule set already parsed and compiled.

Everything else about the package is declared in pyproject.toml. After the package is copied into
the build folder, `python -m tilint.engine.prebuilt` parses and compiles the built-in rules of that
copy and writes them into it (tilint/engine/builtin-rules.pickle), so that an installed tilint's
first run does not spend seconds compiling rules. An editable install builds nothing: its code
changes under it, and it compiles into the cache folder as before.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCompiledRules(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False) or os.environ.get("TILINT_PREBUILT") == "0":
            return
        package = Path(self.build_lib).resolve() / "tilint"
        # The package being built comes first; pip's isolated build environment (where spaCy and
        # the others are installed) may be on PYTHONPATH too, so it is kept.
        path = os.pathsep.join(p for p in (str(package.parent), os.environ.get("PYTHONPATH", "")) if p)
        env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}  # no __pycache__ in the wheel
        env.pop("TILINT_CACHE_DIR", None)
        done = subprocess.run(
            [sys.executable, "-m", "tilint.engine.prebuilt", str(package)],
            env=env, cwd=package.parent, capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            raise SystemExit(
                "tilint: compiling the built-in rules for the wheel failed (set TILINT_PREBUILT=0 to build "
                f"without them):\n{done.stderr[-3000:]}"
            )
        print(done.stdout.strip())


setup(cmdclass={"build_py": BuildWithCompiledRules})
