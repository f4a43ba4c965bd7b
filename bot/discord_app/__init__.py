"""The Discord front end: a thin layer of cogs over the shared services and templates."""
