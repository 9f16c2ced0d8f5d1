"""Structured logs: one JSON object per line on stderr, each with the id of the request it
belongs to.

    {"time": "2026-11-22T10:15:02.114Z", "level": "info", "logger": "app.access",
     "message": "GET /findings 200", "request_id": "6f1c...", "method": "GET",
     "path": "/findings", "status": 200, "duration_ms": 12.4}

The request id lives in a context variable set by the request context middleware
(app/http/middleware.py); route functions run in worker threads with a copy of the context, so
anything logged while serving a request carries its id. Tracebacks go to the log, never to
the client.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged.
_STANDARD = frozenset(
    set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__)
    | {"message", "asctime", "taskName"}
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (a test runner may swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _with_request_id(factory: Any) -> Any:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = factory(*args, **kwargs)
        record.request_id = request_id_var.get()
        return record

    make_record._adds_request_id = True  # type: ignore[attr-defined]
    return make_record


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the `app` loggers, and the request id on every log record
    made while a request is served, whoever logs it (once; later calls change nothing)."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "_adds_request_id", False):
        logging.setLogRecordFactory(_with_request_id(factory))
    logger = logging.getLogger("app")
    if any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
        return
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)


__all__ = ["JsonFormatter", "configure_logging", "request_id_var"]
