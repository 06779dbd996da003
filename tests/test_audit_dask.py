"""`--dask local` gives exactly the findings of a local run (skipped without dask[distributed]).

The Dask run happens in a child process so that the cluster's threads never share a process with
the fork-based pool of the other tests.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from audit_support import DOCUMENTS, FIXTURE_RULES, audit, make_corpus

from tilint.ruleset import load_ruleset

pytest.importorskip("distributed")

DASK_RUN = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tilint.audit import AuditConfig, run_audit
    from tilint.ruleset import load_ruleset

    rules = load_ruleset([sys.argv[1]], builtin=False)
    run = run_audit(AuditConfig(paths=[sys.argv[2]], out=Path(sys.argv[3]), ruleset=rules, jobs=2,
                                dask="local", use_cache=False, progress="none"))
    print(run.summary["backend"], run.summary["analysed"])
    """
)


def test_dask_local_writes_the_same_findings_as_local_processes(tmp_path):
    corpus = make_corpus(tmp_path / "docs", DOCUMENTS)
    audit(load_ruleset([FIXTURE_RULES], builtin=False), [corpus], tmp_path / "local", jobs=1, use_cache=False)
    done = subprocess.run(
        [sys.executable, "-c", DASK_RUN, str(FIXTURE_RULES), str(corpus), str(tmp_path / "dask")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["dask", str(len(DOCUMENTS) - 2)]
    for name in ("findings.csv", "documents.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
