"""The load generator: `wrk` on loopback, fed a file of request paths, one per line.

Each wrk thread walks the file from its own offset, one path per request, so a run sends
the same sequence of distinct parameters to whichever server it drives. Its Lua `done` hook
prints the figures as one JSON line, which `drive` reads back.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA = r"""
local paths = {}
local position = 1

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  local threads = tonumber(args[2])
  local me = id or 0  -- set by setup(), which wrk calls before init()
  position = math.floor((#paths / threads) * me) + 1
end

local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function request()
  local path = paths[position]
  position = position + 1
  if position > #paths then position = 1 end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "status_errors": %d, '
    .. '"mean_us": %f, "stdev_us": %f, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    e.status, latency.mean, latency.stdev, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True, slots=True)
class Run:
    requests: int
    seconds: float
    errors: int
    status_errors: int
    p50_ms: float
    p99_ms: float
    mean_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def drive(
    base_url: str,
    paths: list[str],
    *,
    connections: int,
    seconds: float,
    cpu: int | None = None,
) -> Run:
    """Send requests for `seconds` over `connections` keep-alive connections."""
    threads = 1 if connections < 4 else 2
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        script = Path(folder) / "paths.lua"
        script.write_text(LUA)
        listing = Path(folder) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base_url,
            "--",
            str(listing),
            str(threads),
        ]
        if cpu is not None:
            command = ["taskset", "-c", str(cpu), *command]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(part for part in output.splitlines() if part.startswith('{"requests"'))
    figures = json.loads(line)
    return Run(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        errors=figures["errors"],
        status_errors=figures["status_errors"],
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        mean_ms=figures["mean_us"] / 1000,
    )
