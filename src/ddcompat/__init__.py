"""ddcompat: lint Python dependency files against what Datadog's ddtrace supports."""

__version__ = "0.1.0"
