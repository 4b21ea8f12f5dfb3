"""Persistence: SQLModel tables, the database handle, queries and Alembic migrations."""
