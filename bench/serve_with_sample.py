"""`copbot serve` with tests/sample_feature.py added, so bench/ack_path.py --sample-modal can time a
modal submission that validates, checks edit rights, records its idempotency key, saves a row and
posts a confirmation, before the real feature modals exist.

    python bench/serve_with_sample.py   (same environment as `copbot serve`)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import handlers
from copbot.cli import main
from tests import sample_feature

if __name__ == "__main__":
    handlers.FEATURES.append(sample_feature)  # before gunicorn forks: every worker registers it
    sys.exit(main(["serve", "--host", "127.0.0.1"]))
