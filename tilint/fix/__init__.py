"""Applying the rules' rewrites to Markdown and text files (`tilint fix`)."""
