"""Scoring tilint against annotated corpora (precision, recall, traps, framing)."""
