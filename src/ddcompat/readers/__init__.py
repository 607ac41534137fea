"""Readers: one module per file format. Each turns one file's bytes into a `ReadResult`.

Readers know nothing of rules. Every declaration carries its exact span. A file that cannot be decoded or
parsed gives one DDC902 finding, never an exception.
"""
