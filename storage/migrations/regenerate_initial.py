"""Rewrite the initial migration from the models (development only, before the first release).

    python -m storage.migrations.regenerate_initial
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from storage.db import MIGRATIONS, alembic_config

VERSIONS = MIGRATIONS / "versions"


def main() -> None:
    for old in VERSIONS.glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        config = alembic_config(f"sqlite:///{Path(tmp) / 'empty.db'}")
        command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
    for new in VERSIONS.glob("0001_*.py"):
        new.rename(VERSIONS / "0001_initial_schema.py")


if __name__ == "__main__":
    main()
