"""The pure domain of influencer marketing: plain data in, plain data out.

Nothing here imports Slack or SQLAlchemy, so every rule can be unit-tested and
benchmarked on its own and reused by the Slack surface, the terminal and the clock.
"""
