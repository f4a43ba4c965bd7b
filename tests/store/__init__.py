"""Tests of the durable ledger store (bot.store), on real SQLite files."""
