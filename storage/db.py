"""The database handle: one engine per process, sessions opened here and passed in."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
READ_ONLY = "copbot_read_only"  # execution option of the connection a ``Database.reading`` session uses


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message says which URL and why."""


class ReadOnlySessionError(RuntimeError):
    """Something was added, changed or deleted through a ``Database.reading`` session."""


def _refuse_writes(session: Session, _flush_context: object, _instances: object) -> None:
    raise ReadOnlySessionError("a read-only session (Database.reading) cannot write; use Database.session")


def _configure_sqlite(engine: Engine, *, file_backed: bool) -> None:
    """Foreign keys on, a busy timeout, and real transactions that SQLAlchemy begins itself.

    pysqlite's own transaction handling runs SELECTs outside any transaction and BEGINs only at
    the first write: a session that reads and then writes is not one transaction (two web workers
    can lose an update), and a SAVEPOINT opened first acts as the outer transaction, so its
    RELEASE commits an idempotency key even when the save is rolled back. SQLAlchemy's pysqlite
    recipe fixes both: switch pysqlite's handling off and emit BEGIN from the "begin" event. A
    file database uses ``BEGIN IMMEDIATE`` (writers queue on the busy timeout instead of failing
    with "database is locked" on a lock upgrade) and WAL, so readers carry on while one writes.
    A read-only session (``Database.reading``) uses a deferred ``BEGIN``: under WAL it reads one
    snapshot and takes no write lock, so reads never queue behind writers or each other.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if file_backed:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        immediate = file_backed and not connection.get_execution_options().get(READ_ONLY)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
            _configure_sqlite(engine, file_backed=False)
        else:
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
            _configure_sqlite(engine, file_backed=True)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


class Database:
    """An engine and the way to open sessions on it.

    Bolt copies a request (deepcopy) before handing it to background listeners; the handle is
    shared on purpose, so copying returns the same object.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    def __deepcopy__(self, memo: dict) -> Database:
        return self

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back if it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only: it takes no write lock on SQLite, commits nothing, and raises
        ``ReadOnlySessionError`` if anything is flushed through it."""
        with Session(self.engine, expire_on_commit=False) as session:
            event.listen(session, "before_flush", _refuse_writes)
            session.connection(execution_options={READ_ONLY: True})
            yield session  # closing ends the transaction (a rollback) and keeps loaded objects readable

    def check(self) -> None:
        """Raise DatabaseError unless the database answers and holds copbot's schema."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                if not inspect(connection).has_table("cop"):
                    raise DatabaseError(
                        f"database {self.safe_url} has no copbot tables: run `copbot db upgrade`."
                    )
        except SQLAlchemyError as error:
            raise DatabaseError(f"cannot open database {self.safe_url}: {_first_line(error)}") from error

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> None:
        """Create or upgrade the schema to the newest Alembic revision."""
        try:
            with self.engine.begin() as connection:
                config = alembic_config(self.url)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except SQLAlchemyError as error:
            raise DatabaseError(f"cannot upgrade database {self.safe_url}: {_first_line(error)}") from error

    def is_empty(self) -> bool:
        try:
            with self.engine.connect() as connection:
                return not inspect(connection).get_table_names()
        except SQLAlchemyError as error:
            raise DatabaseError(f"cannot open database {self.safe_url}: {_first_line(error)}") from error

    def dispose(self) -> None:
        self.engine.dispose()


def _first_line(error: Exception) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]
