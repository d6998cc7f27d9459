"""The process and composition root: settings, the Bolt app factory, the HTTP and Socket
Mode server, the scheduler, and the `influencer-bot` command. Local tooling is in bot/local."""
