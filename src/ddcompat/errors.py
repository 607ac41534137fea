"""Errors that end a run with exit code 2 (bad options, bad config, a broken rule set)."""


class UsageError(Exception):
    """The run itself cannot proceed; the message is one line naming what is wrong."""
