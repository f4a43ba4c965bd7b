"""Answers from templates (bot.render): every template renders, citations, escaping for each output."""
