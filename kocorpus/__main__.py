"""`python -m kocorpus` = the `kocorpus` command."""

import sys

from kocorpus.cli import main

sys.exit(main())
