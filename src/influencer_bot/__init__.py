"""influencer-bot: find, approve and track micro-influencers from Slack."""
