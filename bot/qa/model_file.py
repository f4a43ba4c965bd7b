"""The trained question classifier as shipped: bot/qa/model.npz, package data written by bot.qa.train.

Why a file: training needs scikit-learn (seconds to import, seconds to fit); reading this file needs numpy
and takes milliseconds. Layout (numpy .npz, compressed, no pickles):

* `meta`: UTF-8 JSON: format version, the TfidfSettings of both vectorizers, each vocabulary (terms in
  column order), the class labels of both models, the intents each rule's questions carry, the training
  fingerprint (bot.qa.examples.training_fingerprint) and the scikit-learn version that trained it;
* `word_idf`, `char_idf`: float64 idf weights, one per vocabulary term;
* `rule_coef`, `intent_coef`: float32 coefficients, transposed (features x classes, word features first)
  so that a question's few non-zero features select whole rows; float32 halves the file (~4.5 MB) and
  moves margins by about 1e-7;
* `rule_intercept`, `intent_intercept`: float64, one per class.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.qa.data import QADataError

MODEL_FILE = "model.npz"
FORMAT_VERSION = 1
_ARRAYS = ("word_idf", "char_idf", "rule_coef", "intent_coef", "rule_intercept", "intent_intercept")


@dataclass(frozen=True, slots=True)
class ModelData:
    """The contents of a model file: `meta` (see module docstring) and the named arrays."""

    meta: dict[str, Any]
    arrays: dict[str, npt.NDArray[Any]]


def write_model(data: ModelData, path: Path) -> None:
    """Write `data` to `path` (compressed .npz) through a temporary file, so a failed build leaves the old one."""
    meta = np.frombuffer(json.dumps(data.meta, ensure_ascii=False, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    payload: dict[str, Any] = {"meta": meta, **{name: data.arrays[name] for name in _ARRAYS}}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **payload)
    partial = path.with_suffix(".partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(path)


def read_model(raw: bytes | None = None) -> ModelData:
    """The model file shipped in the package (or `raw`, its bytes); a missing or foreign file is a QADataError."""
    if raw is None:
        resource = files("bot.qa").joinpath(MODEL_FILE)
        if not resource.is_file():
            raise QADataError(f"{MODEL_FILE} is missing from bot.qa: build it with `python -m bot.qa.train`")
        raw = resource.read_bytes()
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            meta = json.loads(bytes(npz["meta"]).decode("utf-8"))
            arrays = {name: npz[name] for name in _ARRAYS}
    except (OSError, ValueError, KeyError) as exc:
        raise QADataError(f"{MODEL_FILE}: not a readable model file: {exc}") from exc
    if meta.get("format") != FORMAT_VERSION:
        raise QADataError(f"{MODEL_FILE}: format {meta.get('format')!r}, expected {FORMAT_VERSION}: rebuild it")
    return ModelData(meta, arrays)
