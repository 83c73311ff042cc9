"""`python -m policyc`: the same command line as `policyc`."""

import sys

from policyc.cli import main

sys.exit(main())
