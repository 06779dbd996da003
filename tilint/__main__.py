"""`python -m tilint` runs the command-line interface."""

from tilint.cli import main

if __name__ == "__main__":
    main()
