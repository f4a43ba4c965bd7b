"""The engine's public face: one import for front ends, all pure and synchronous.

Data in (contracts, a date, model parameters), result out; no I/O, no Discord, no database.
"""

from __future__ import annotations

from .advice import Advice, Verdict, advise, is_stale
from .classify import Classification, OutcomeKind, classify
from .params import DEFAULT_PARAMS, Cadence, ModelParams
from .planner import ClosingPlan, PlanStep, plan_closings
from .projection import EventKind, Projection, ProjectionEvent, project
from .score import Eligibility, ScoreResult, score
from .toprated import TopRatedStatus, top_rated_status
from .whatif import Scenario, ScenarioResult, WhatIf, what_if
from .windows import TRENDING, ScorePoint, WindowStats

__all__ = [
    "DEFAULT_PARAMS",
    "TRENDING",
    "Advice",
    "Cadence",
    "Classification",
    "ClosingPlan",
    "Eligibility",
    "EventKind",
    "ModelParams",
    "OutcomeKind",
    "PlanStep",
    "Projection",
    "ProjectionEvent",
    "Scenario",
    "ScenarioResult",
    "ScorePoint",
    "ScoreResult",
    "TopRatedStatus",
    "Verdict",
    "WhatIf",
    "WindowStats",
    "advise",
    "classify",
    "is_stale",
    "plan_closings",
    "project",
    "score",
    "top_rated_status",
    "what_if",
]
