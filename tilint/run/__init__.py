"""Running checks: one file read, checked and cached (single), file discovery, and many files on
several cores (local)."""
