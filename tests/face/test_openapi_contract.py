"""The committed `openapi.json` is the app's OpenAPI document, byte for byte: a change to the
API shows up as a diff of the contract that frontends generate their clients from."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from fastapi.testclient import TestClient

from scripts.export_openapi import OPENAPI_PATH, main, render

REGENERATE = (
    "openapi.json differs from the app's OpenAPI document. If the API change is meant, "
    "regenerate the contract with `make openapi` (or `.venv/bin/python -m "
    "scripts.export_openapi`) and commit openapi.json; frontends regenerate their clients "
    "from it (docs/face.md)."
)


def drift(committed: str, served: str) -> str | None:
    """None when the two are the same; otherwise what to do, and the start of the diff."""
    if committed == served:
        return None
    diff = difflib.unified_diff(
        committed.splitlines(), served.splitlines(), "openapi.json", "the app", lineterm=""
    )
    return REGENERATE + "\n" + "\n".join(list(diff)[:60])


def test_the_committed_contract_is_the_apps_openapi_document(client: TestClient) -> None:
    served = render(client.get("/openapi.json").json())
    problem = drift(OPENAPI_PATH.read_text(encoding="utf-8"), served)
    assert problem is None, problem


def test_a_drifted_contract_is_reported_with_how_to_regenerate(client: TestClient) -> None:
    served = render(client.get("/openapi.json").json())
    older = json.loads(served)
    older["info"]["version"] = "0.0.9"
    problem = drift(render(older), served)
    assert problem is not None
    assert problem.splitlines()[0] == REGENERATE
    assert problem.splitlines()[1:] == [
        "--- openapi.json",
        "+++ the app",
        "@@ -6,7 +6,7 @@",
        '     "license": {',
        '       "name": "Data: Open Government Licence v3.0"',
        "     },",
        '-    "version": "0.0.9"',
        '+    "version": "0.1.0"',
        "   },",
        '   "paths": {',
        '     "/inspections": {',
    ]


def test_the_export_script_writes_the_committed_contract(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == OPENAPI_PATH.read_text(encoding="utf-8")
