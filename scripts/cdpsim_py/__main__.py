"""``python3 -m cdpsim_py plot|report ...`` (what ``cdpsim plot`` and ``cdpsim report`` run)."""

import sys

from .cli import main

sys.exit(main())
