"""python -m searchkit"""

import sys

from .cli import main

sys.exit(main())
