"""Demo data: a deterministic synthetic population (population), written as creators with
history (creators) and campaigns with posts (campaigns). Used by the console and benchmarks."""
