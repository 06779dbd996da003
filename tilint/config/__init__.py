"""Configuration: the project's tilint.toml / [tool.tilint] (project) and the one glob dialect (globs)."""
