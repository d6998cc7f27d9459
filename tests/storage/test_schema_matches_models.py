"""The models and the migrations describe one schema, on SQLite and on PostgreSQL.

Deployed databases are built by the migrations, the code reads and writes them through the
models: a column, type, nullability, default, key or index that one has and the other lacks
is a bug waiting for the first query that touches it. The `engine` fixture's database is a
fresh one brought to head by `upgrade` (tests/conftest.py).
"""

from __future__ import annotations

import pprint
import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Connection, Engine, Index, MetaData, text
from sqlalchemy.schema import CreateIndex

from influencer_bot.storage.models import Base


def _autogenerate_cannot_compare(index: Index) -> bool:
    """An index on an expression, or a partial one. Known limits of autogenerate: SQLite's
    reflection skips expression indexes altogether, and on no backend does autogenerate compare
    an index's WHERE. These are compared by their definition instead (below)."""
    partial = any(opts.get("where") is not None for opts in index.dialect_options.values())
    return partial or not all(isinstance(e, Column) for e in index.expressions)


SEPARATELY = {ix.name for table in Base.metadata.tables.values() for ix in table.indexes
              if _autogenerate_cannot_compare(ix)}


def _not_compared_separately(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    return not (type_ == "index" and name in SEPARATELY)


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_migrated_database_has_exactly_the_models_schema(engine: Engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "compare_server_default": True, "include_object": _not_compared_separately})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], "models and migrations differ:\n" + pprint.pformat(differences)


def _definition(conn: Connection, name: str) -> str | None:
    """The index as the database itself states it, with its name taken out."""
    if conn.dialect.name == "postgresql":  # normalised by the server: casts, schema, USING btree
        found = conn.execute(text("SELECT pg_get_indexdef(to_regclass(:n))"), {"n": name}).scalar()
    else:  # SQLite keeps the CREATE INDEX text as it was given
        found = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n"),
                             {"n": name}).scalar()
    if found is None:
        return None
    return " ".join(re.sub(r'["`]', "", found).lower().replace(name.lower(), "<name>").split())


def test_indexes_autogenerate_cannot_compare_match_the_models(engine: Engine):
    """Each such index is built from the model next to the migrated one, under another name,
    and the database's own statements of the two must be the same (then rolled back)."""
    assert SEPARATELY  # the digest scope index, at least: else this test proves nothing
    model = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(model)
    with engine.connect() as conn, conn.begin() as transaction:
        for table in model.tables.values():
            for index in [ix for ix in table.indexes if ix.name in SEPARATELY]:
                migrated = _definition(conn, index.name)
                assert migrated is not None, f"the migrations never create index {index.name}"
                index.name = f"{index.name}_model"
                conn.execute(CreateIndex(index))
                assert _definition(conn, index.name) == migrated, index.name
        transaction.rollback()
