"""tilint: a linter for commissioning language.

It finds deficit and risk-only framing of people in commissioning documents and suggests
trauma-informed, strengths-based alternatives, each with a reason and a source.
"""

__version__ = "0.1.0"
