"""The per-layer CPU profile that `make bench` prints (scripts/bench/profile.py): which layer a
function's time goes to, and a run over real requests that accounts for all of its time."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.db import make_engine
from app.main import create_app
from scripts.bench.profile import (
    LAYERS,
    OTHER,
    CallCost,
    calibrate,
    layer_of,
    measure,
    report,
    split,
    urls_for,
)
from scripts.bench.scenarios import SCENARIOS


@pytest.mark.parametrize(
    ("filename", "function", "layer"),
    [
        ("~", "<method 'execute' of 'sqlite3.Cursor' objects>", "SQLite (the engine itself)"),
        ("~", "<built-in method orjson.dumps>", "JSON"),
        ("/v/lib/sqlalchemy/engine/result.py", "fetchall", "row shaping"),
        ("/v/lib/sqlalchemy/sql/compiler.py", "visit_select", "statement building"),
        (
            "/v/lib/sqlalchemy/engine/base.py",
            "_execute_context",
            "statement execution (SQLAlchemy, driver)",
        ),
        ("/v/lib/pydantic/main.py", "model_validate", "parameter reading"),
        ("/v/lib/starlette/routing.py", "matches", "routing"),
        ("/v/lib/starlette/middleware/errors.py", "__call__", "ASGI and middleware"),
        ("/v/lib/anyio/to_thread.py", "run_sync", "event loop and thread hop"),
        ("/usr/lib/python3.11/logging/__init__.py", "emit", "logging"),
        ("~", "<method 'get' of 'dict' objects>", OTHER),
        ("/app/app/store/findings.py", "finding_json", "row shaping"),
        ("/app/app/store/prepared.py", "rows", "statement execution (SQLAlchemy, driver)"),
        ("/app/app/store/prepared.py", "prepared", "statement building"),
        ("/app/app/search.py", "snippet", "row shaping"),
        ("/app/app/search.py", "_matches", "row shaping"),
        ("/app/app/search.py", "fts5", "statement building"),
    ],
)
def test_each_function_has_its_layer(filename: str, function: str, layer: str) -> None:
    assert layer_of(filename, function) == layer


def test_cprofiles_cost_for_each_call_is_taken_from_both_sides_of_it() -> None:
    """Profiled: a snippet (200 calls of 10 µs own time each, and 800 calls it made to a C
    regular expression method of 10 µs each), and 2 SQLite statements of 2 ms. cProfile
    added 1 µs to the callee and 2 µs to the caller of each call: what is left is the true
    cost, the C method's in its caller's layer."""
    cost = CallCost(received=1e-6, made=2e-6)
    snippet = ("/app/app/search.py", 10, "snippet")
    route = ("/app/app/routes/findings.py", 50, "list_findings")
    table = {
        snippet: (200, 200, 200 * 10e-6, 0.0, {route: (200, 200, 200 * 10e-6, 0.0)}),
        ("~", 0, "<method 'start' of 're.Match' objects>"): (
            800, 800, 800 * 10e-6, 0.0, {snippet: (800, 800, 800 * 10e-6, 0.0)}
        ),
        ("~", 0, "<method 'execute' of 'sqlite3.Cursor' objects>"): (
            2, 2, 2 * 2e-3, 0.0, {route: (2, 2, 2 * 2e-3, 0.0)}
        ),
        route: (1, 1, 5e-3, 0.0, {}),
    }  # fmt: skip
    layers = split(table, cost)
    assert layers == {
        # snippet: 2,000 µs less 200 received and 800 x 2 made; the method: 8,000 less 800
        "row shaping": pytest.approx(
            (2000 - 200 - 1600) * 1e-6 + (8000 - 800) * 1e-6 + (5000 - 1 - 202 * 2) * 1e-6
        ),
        "SQLite (the engine itself)": pytest.approx((4000 - 2) * 1e-6),
    }
    # A cost greater than what was recorded leaves nothing, never less than nothing.
    assert split(table, CallCost(received=1.0, made=1.0)) == {
        "row shaping": 0.0,
        "SQLite (the engine itself)": 0.0,
    }


def test_the_calibration_finds_a_cost_a_call() -> None:
    cost = calibrate(20_000)
    assert 0 < cost.received < 50e-6 and 0 < cost.made < 50e-6


def test_a_profile_of_real_requests_accounts_for_every_layer_of_their_time(
    seeded_copies: Callable[[str], str],
) -> None:
    url = seeded_copies("sqlite")
    database = Path(make_url(url).database or "")
    scenario = next(s for s in SCENARIOS if s.name == "authority")
    urls = urls_for(database, scenario, 40)
    assert len(urls) == 40 and all(u.startswith("/findings?authority=") for u in urls)
    engine = make_engine(url)
    try:
        # In a thread of its own, as the script runs it: its own event loop, whatever loop
        # the suite's other tests leave in this thread.
        with ThreadPoolExecutor(1) as pool:
            cpu, profiles = pool.submit(measure, create_app(engine), urls).result()
        layers = profiles.layers(calibrate())
    finally:
        engine.dispose()
    assert cpu > 0
    # The engine, the JSON encoder, statement building and routing all did some work.
    for layer in ("SQLite (the engine itself)", "JSON", "statement building", "routing"):
        assert layers[layer] > 0, layer
    lines = report(scenario.title, cpu, layers)
    assert lines[0] == f"one filter (authority): {cpu * 1000:.3f} ms of CPU a request"
    assert sorted(line.split("  ")[1].strip() for line in lines[1:]) == sorted(
        [*dict.fromkeys(layer for layer, _ in LAYERS), OTHER]
    )
    shares = [float(line.rsplit(" ", 1)[1].rstrip("%")) for line in lines[1:]]
    assert sum(shares) == pytest.approx(100.0, abs=0.1 * len(shares))
