"""`python -m tilint` runs the command-line interface."""

from tilint.cli import run

if __name__ == "__main__":
    run()
