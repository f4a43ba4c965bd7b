"""The Upwork CSV importers (bot.importers): cells, whole exports, derive and merge, descriptions."""
