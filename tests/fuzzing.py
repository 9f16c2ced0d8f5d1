"""How hard the fuzz tests try: a bounded, deterministic number of examples in `make test`;
`make fuzz` sets FUZZ_EXAMPLES for a long run with fresh random examples each time
(hypothesis prints the seed and the failing example to reproduce one)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG_RUN = "FUZZ_EXAMPLES" in os.environ


def fuzz_settings(examples: int) -> settings:
    """`examples` per test in `make test`, derandomized; FUZZ_EXAMPLES each in `make fuzz`."""
    return settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES", examples)),
        derandomize=not LONG_RUN,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )


__all__ = ["LONG_RUN", "fuzz_settings"]
