"""``python -m textmend`` runs the command line."""

import sys

try:
    from textmend.cli import main
except KeyboardInterrupt:  # Ctrl-C while starting: as later, no traceback
    print("textmend: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
