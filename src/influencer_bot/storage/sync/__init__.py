"""Platform sync over httpx: the platforms' clients, the quota ledger, and the runs that turn
what they fetch into metric and post snapshots."""
