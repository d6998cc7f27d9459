"""Local stand-ins for the platforms' HTTP APIs (YouTube Data API, Instagram Graph API, TikTok),
served on 127.0.0.1 for tests, benchmarks and trying sync without keys. Production never imports them."""
