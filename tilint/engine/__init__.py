"""The engine: compile rules into spaCy matchers and find matches in documents."""

from tilint.engine.linter import Linter, PipelineError, select_rules

__all__ = ["Linter", "PipelineError", "select_rules"]
