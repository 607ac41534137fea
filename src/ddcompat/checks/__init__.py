"""Checks: one module per family. They read no files: declarations and project context in, findings out."""
