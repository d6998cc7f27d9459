"""Creators: their records (what a file or an API says), rows and metric history (store),
how they are read (views), and the CSV export."""
