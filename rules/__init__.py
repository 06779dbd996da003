"""The built-in rule set. A package only so that the YAML files ship inside the wheel."""
