"""`python -m bot`: run the Discord bot with settings from the environment / .env."""

from bot.discord_app.run import main

raise SystemExit(main())
