"""Write the app's OpenAPI document to `openapi.json` at the repository root: the committed
contract that frontends generate clients from (tests/test_openapi_contract.py fails when the
app's document differs from it).

    make openapi        # or: .venv/bin/python -m scripts.export_openapi [PATH]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from app.db import make_engine
from app.main import create_app

OPENAPI_PATH = Path(__file__).resolve().parent.parent / "openapi.json"


def openapi_document() -> dict[str, Any]:
    """The document as the app serves it at /openapi.json (it does not read the database)."""
    engine = make_engine("sqlite://")
    try:
        return create_app(engine).openapi()
    finally:
        engine.dispose()


def render(document: dict[str, Any]) -> str:
    """Stable text: keys in the app's order, two-space indents, non-ASCII kept, a final
    newline, so a change to the API is a readable diff."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else OPENAPI_PATH
    path.write_text(render(openapi_document()), encoding="utf-8")
    here = Path.cwd()
    print(f"wrote {path.relative_to(here) if path.is_relative_to(here) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
