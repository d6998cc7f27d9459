"""Local tooling that production never runs: the Slack Web API stand-in, request signing,
the driver that sends signed requests through the real Bolt app, the console and its text
renderer. Used by `influencer-bot console` and `ask`, and by the tests."""
