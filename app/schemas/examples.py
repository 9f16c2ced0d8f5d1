"""The response examples of the OpenAPI document: real output on the five seed documents,
abridged (lists cut to their first two items, long texts to 200 characters), kept as data in
`examples.json` beside this module, by the name of what they show (`FINDINGS`, `FINDING`,
`FINDINGS_CSV`, ...).

Regenerate after a change to a response: run the server on the seed data and
`scripts/openapi_examples.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

EXAMPLES_PATH = Path(__file__).with_name("examples.json")
EXAMPLES: dict[str, Any] = orjson.loads(EXAMPLES_PATH.read_bytes())


def __getattr__(name: str) -> Any:
    try:
        return EXAMPLES[name]
    except KeyError:
        raise AttributeError(name) from None


__all__ = ["EXAMPLES", "EXAMPLES_PATH"]
