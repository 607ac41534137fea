"""Allow ``python -m ddcompat``."""

import sys

from ddcompat.cli import main

if __name__ == "__main__":
    sys.exit(main())
