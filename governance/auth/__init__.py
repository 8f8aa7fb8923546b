"""Users, passwords, tokens and who is asking."""
