"""Benchmarks of the platform on the machine it runs on: `excom bench live-vote` (live_vote)
and the database's raw durable commit rate it is read against (commit_rate)."""
