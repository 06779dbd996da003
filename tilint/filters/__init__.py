"""What happens to findings after the engine and the cache: inline suppressions and per-file ignores
(suppressions, postprocess), a baseline of accepted findings, and --diff (gitdiff)."""
