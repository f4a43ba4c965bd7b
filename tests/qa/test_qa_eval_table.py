"""bench/qa_eval.py --batches: the first-seen figures it pools are read back from each batch's record, so the
pooled figure the issue reports is the recorded one, not a re-scoring with a model that has since been tuned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.qa.test_understand import load_bench


def _batch(tmp_path: Path, name: str, rows: list[dict[str, object]], record: str | None) -> Path:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    if record is not None:
        (tmp_path / f"{name}.first_seen.txt").write_text(record, encoding="utf-8")
    return path


def test_first_seen_counts_come_from_the_record(tmp_path: Path) -> None:
    bench = load_bench()
    record = (
        "first seen ...\nfile: x (11 questions, as_of 2026-02-15)\ntop-1 hit rate: 63.6%  (t)\ntop-3 hit rate: 81.8%\n"
    )
    path = _batch(tmp_path, "eval_batch_14", [{"q": "a", "rules": ["X-REFUND"]}], record)
    assert bench._first_seen_counts(path) == (11, 7, 9)
    assert bench._first_seen_counts(_batch(tmp_path, "eval_batch_2", [], None)) is None


def test_the_table_pools_only_batches_with_a_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench()
    question = {"q": "my client never left feedback, does the contract count in my JSS?", "rules": ["X-NO-FEEDBACK"]}
    seen = _batch(
        tmp_path, "eval_batch_20", [question] * 4, "(4 questions\ntop-1 hit rate: 50.0%\ntop-3 hit rate: 75.0%"
    )
    tuned = _batch(tmp_path, "eval_batch_1", [{"q": "when does the JSS update?", "rules": ["F-FORMULA"]}], None)
    bench._batch_table([tuned, seen], rounds=1)
    out = capsys.readouterr().out
    assert "(tuned on from the start)" in out
    assert "pooled over the 4 questions" in out
    assert "first seen 50.0% / 75.0%, now " in out  # now: whatever the shipped model scores
