"""Question understanding for JSS Advisor: what a freelancer asks, which rules answer it, what facts it states.

Pure, synchronous and offline. Entry point: `bot.qa.understand.understand(question, as_of, ledger_items)`;
the layers (`bot.qa.intents`, `bot.qa.retrieval`, `bot.qa.extract`) are usable on their own. Tuning data
lives in `bot/qa/paraphrases.toml`; `bench/qa_eval.py` measures citation hit rates and latency.

Nothing is re-exported here on purpose: `bot.qa.understand` must stay the module (re-exporting the
function of the same name would shadow it, e.g. for `import bot.qa.understand as m` or monkeypatching).
"""
