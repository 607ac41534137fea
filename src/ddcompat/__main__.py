"""Allow ``python -m ddcompat``."""

from ddcompat.cli import console_main

if __name__ == "__main__":
    console_main()
