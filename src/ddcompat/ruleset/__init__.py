"""The rule set: typed objects loaded from `rules/`, and the builders that make `rules/` from the pages."""
