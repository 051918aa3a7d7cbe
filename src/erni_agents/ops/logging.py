"""Structured JSON logs (structlog) for the whole process, standard-library loggers included.

`configure_logging(settings)` is called by the application factory (never at import time). Every
line is one JSON object with timestamp, level, logger, event, the request id and, once the
service knows it, the conversation id (bound per request through contextvars). A masking
processor runs last, over every string of the event, so personal data and secrets never reach
the output.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from erni_agents.config import Settings
from erni_agents.ops.masking import Masker

# Keys written by the logging machinery itself: never personal, and masking them costs time.
_SAFE_KEYS = ("timestamp", "level", "logger", "request_id", "conversation_id", "duration_ms", "status")


class _OurHandler(logging.StreamHandler):
    """Marks the handler this module installed, so reconfiguring replaces only it."""

    def emit(self, record: logging.LogRecord) -> None:
        # The stdout of now, not of set-up time: test runners and some hosts replace sys.stdout.
        self.stream = sys.stdout
        super().emit(record)


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]


def configure_logging(settings: Settings) -> Masker:
    """Route structlog and stdlib logging through one JSON renderer on stdout; return the masker."""
    masker = Masker.from_settings(settings, skip_keys=_SAFE_KEYS)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_shared_processors(), structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _drop_color_message,
            structlog.processors.format_exc_info,
            masker,
            structlog.processors.JSONRenderer(ensure_ascii=False, default=str),
        ],
    )
    level = settings.log_level.upper()
    handler = _OurHandler(sys.stdout)
    handler.setFormatter(formatter)
    # Some libraries set DEBUG on their own loggers; the handler holds the line at LOG_LEVEL.
    handler.setLevel(level)
    root = logging.getLogger()
    # Only our own handler is replaced: test runners and embedding hosts keep theirs.
    for old in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # One line per SQLite statement would drown LOG_LEVEL=DEBUG, and Alembic announces its
    # dialect on every readiness probe.
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, root.level))
    logging.getLogger("alembic.runtime.migration").setLevel(max(logging.WARNING, root.level))
    # The request log of the API replaces uvicorn's access log.
    logging.getLogger("uvicorn.access").disabled = True
    return masker


def _drop_color_message(_logger: Any, _method: str, event_dict: Any) -> Any:
    """uvicorn duplicates its message with terminal colour codes in an extra field."""
    event_dict.pop("color_message", None)
    return event_dict


def get_logger(name: str | None = None) -> Any:
    return structlog.stdlib.get_logger(name)


def bind_conversation(conversation_id: str) -> None:
    """Attach the conversation id to every log line of the current request (or task)."""
    structlog.contextvars.bind_contextvars(conversation_id=conversation_id)


def bind_request(request_id: str) -> None:
    """Start the log context of one request: earlier bindings of this task are dropped."""
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id)
