"""The console front end: the embedded default that needs no Discord token."""
