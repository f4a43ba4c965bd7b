"""DM reminders: which reminders a ledger implies (rules), when they go out (timing), and the scheduler
that sends them exactly once in effect through a durable queue (bot/store/reminder_store.py).

Kept free of imports so that the store can use the pure parts without an import cycle.
"""
