"""``python -m geo.cli``."""

from geo.cli.main import main

raise SystemExit(main())
