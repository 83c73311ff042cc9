"""Build the trust's policies: `python build.py --help` says how."""

import sys

from policyc.cli import main

if __name__ == "__main__":
    sys.exit(main())
