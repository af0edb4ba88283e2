"""``python -m textmend`` runs the command line."""

from textmend.cli import main

raise SystemExit(main())
