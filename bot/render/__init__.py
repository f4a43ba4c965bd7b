"""Rendering: engine results -> a format-neutral Answer (title, fields, footer, citations) via Jinja templates."""

from .answer import Answer, Citation, Field, reduce_by_fields
from .environment import OutputFormat, render_answer

__all__ = ["Answer", "Citation", "Field", "OutputFormat", "reduce_by_fields", "render_answer"]
