"""Rules whose answer is a count of days the asker may be partway through.

Why a module of its own: routing reads it (a further "is there a deadline?" beside one of these asks for that count,
bot.qa.understand) and the answer's figures read it (the days left, bot.services.ask_figures), and neither should import
the other for it (the understanding module loads the classifier's libraries).
"""

from __future__ import annotations

DAY_COUNTS = {
    "FB-14DAYS": ("FB-14DAYS", "days"),
    "FB-LATE": ("FB-14DAYS", "days"),
    "C-FP-AUTO-RELEASE": ("C-FP-AUTO-RELEASE", "days"),
    "FB-RESPOND": ("FB-RESPOND", "reply_window_days"),
    "C-ESCROW-REFUND": ("C-ESCROW-REFUND", "response_days"),
}
"""Rules cited first whose answer is a count of days the asker may be partway through (the feedback window after the
end, the auto-release after a milestone is submitted, the window to reply to a review), and the rule and number the
count is (round 19: the days to answer an escrow refund request)."""
SAME_QUESTION_COUNTS = frozenset(DAY_COUNTS) - {"C-ESCROW-REFUND"}
"""Counts of days a further "is there a deadline?" of the post asks for when another of them answers first (routing:
bot.qa.understand). Not the escrow refund request's days: beside a milestone's auto-release, "do I lose the $800 in
escrow?" asks what happens to the money, which that rule answers on its own."""
