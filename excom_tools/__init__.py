"""Tools around the platform, not part of it: the benchmark (`excom bench`, `excom_tools.bench`)
and the player of the demo meeting (`excom demo --play`, `excom_tools.demo_play`).

They drive the runtime packages (governance, motions, voting, minutes) as a person or a load
would; nothing in those packages imports them, except the `excom` command's own entries for
these two commands. Installed with the rest (the `excom` command needs them), kept apart so
that the runtime's code and its checks do not carry them.
"""
