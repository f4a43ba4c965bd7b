"""DM reminders, the pure part: which reminders a ledger implies (rules), their kinds, and when they may go
out (timing). No I/O and no imports from the rest of the bot: the services plan, queue and send them
(bot/services/reminders), the store keeps the queue, the front ends show them.
"""
