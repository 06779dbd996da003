"""Batch audits of document folders: parallel, resumable, streamed to disk, with a readable report.

`tilint audit PATH... --out DIR` is the command; `run_audit(AuditConfig(...))` the same from Python.
"""

from tilint.audit.runner import AuditConfig, AuditError, AuditInterrupted, AuditRun, run_audit

__all__ = ["AuditConfig", "AuditError", "AuditInterrupted", "AuditRun", "run_audit"]
