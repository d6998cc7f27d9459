"""Campaigns: the campaigns and their members (store), posts and their snapshots (posts),
and the KPIs summed in SQL (stats)."""
