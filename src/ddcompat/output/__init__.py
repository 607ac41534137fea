"""Output formats: one module per format. They render findings; they never re-parse anything."""
