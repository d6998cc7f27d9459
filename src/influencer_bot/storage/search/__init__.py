"""Search: the niche index (postings and score columns), how a niche is matched against it,
and the data side of `/influencer find` (finder) and of "Replace rejected" (refill)."""
