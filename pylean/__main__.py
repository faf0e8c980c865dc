"""Entry point: `python -m pylean backtest <project>`."""
import sys

from pylean.cli import main

sys.exit(main())
