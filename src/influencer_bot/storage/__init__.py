"""The data layer: SQLAlchemy models, one package per aggregate, Alembic migrations.

Every function takes an explicit Session and the Slack workspace (`team_id`) it acts for,
and filters by it. Nothing here imports handlers/ or bot/.

- db.py, migrate.py, migrations/: engines and transactions, schema upgrades.
- models/: the typed tables, one module per aggregate.
- creators/: creator records, rows and metric history, views, CSV export.
- ingest.py: the one creator write path (rows, then the niche index).
- search/: the niche index, matching, the shortlist engine's data side, refills, synonyms.
- shortlists.py: shortlists and their audited decisions.
- campaigns/: campaigns, members, posts and their KPIs (SQL aggregation).
- digests/: digest subscriptions, the exactly-once ledger, digest content.
- importers/: CSV files in; demo/: the synthetic population for demos and benchmarks.
"""
