import sys

from copbot.cli import main

sys.exit(main())
