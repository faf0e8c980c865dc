"""`python -m pylean.conformance --lean-root DIR ...` (see pylean/conformance/cli.py)."""
import sys

from pylean.conformance.cli import main

sys.exit(main())
