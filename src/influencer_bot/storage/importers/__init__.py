"""Importers: files people already have (CSV and .xlsx exports) -> creators and posts.

The canonical CSV header, in order (any case; aliases such as `#Followers`,
`Subscribers`, `instagram name` or `Category_1` are understood, see `headers.py`):

    platform, handle, display_name, followers, following, posts_total, avg_likes,
    avg_comments, avg_shares, avg_saves, avg_views, posts_sampled, engagement_rate_pct,
    topics, category, bio, country, language, price_usd, email

Only a handle column and a follower column are required. Comma, tab or semicolon
separated, or .xlsx; numbers like `12.4M`, `3.3k`, `1,234`, `1.234.567`; percentages like
`1.39%`; spreadsheet junk (`#VALUE!`, `N/A`, `-`, empty) is read as unknown, never as zero.

The modules: `table` (file -> header and sound rows), `headers` (the vocabulary), `names`
(which column holds usernames), `values` (repeated columns, decimal marks), `rows` (a row ->
a `CreatorRecord`), `creators_csv` and `posts_csv` (the two imports), `workbook` (.xlsx).
"""

from .creators_csv import ImportReport, import_creators_file
from .headers import CANONICAL, parse_mapping

__all__ = ["CANONICAL", "ImportReport", "import_creators_file", "parse_mapping"]
