"""python -m searchkit"""

import sys

from .cli import console

sys.exit(console())
