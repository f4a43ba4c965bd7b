"""Screens: every reply of the real bot, driven as a user through the local Discord, drawn the way Discord does.

`capture` runs the bot against `tests.fakediscord` with the demo ledger and records what the user sees
(`script` says what they do); `page` turns each reply into a Discord-style HTML page (the web components of
`@skyra/discord-components-core`, installed into ./node_modules); `shoot` photographs the pages with headless
Chromium at desktop and phone width. `python -m tools.screens OUT` does all three (README.md).
"""
