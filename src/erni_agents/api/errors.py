"""One error envelope for every failure: `{"error": {"code", "message", "details"}}`."""

from __future__ import annotations

import logging
from typing import Any

import openai
import redis.exceptions
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from erni_agents.conversation.locks import ConversationBusy
from erni_agents.conversation.service import ConversationNotFound
from erni_agents.store.db import DATABASE_ERRORS

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    429: "rate_limited",
}
_INPUT_PREVIEW_CHARS = 200


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={"error": {"code": code, "message": message, "details": details}},
        headers=headers,
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        location = ".".join(str(part) for part in err.get("loc", ()) if part != "body")
        details.append({"field": location or "body", "message": err.get("msg", "invalid value")})
    return details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = _field_errors(exc)
        summary = "; ".join(f"{d['field']}: {d['message']}" for d in details)
        # The rejected values help to tell abuse from a broken client; the log masking removes
        # personal data and secrets from them.
        log.info("request validation failed", extra={"errors": details, "inputs": _input_previews(exc)})
        return error_response(422, "validation_error", f"The request is invalid. {summary}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(ConversationNotFound)
    async def _not_found(_request: Request, exc: ConversationNotFound) -> JSONResponse:
        return error_response(
            404,
            "conversation_not_found",
            "This conversation does not exist or has expired. Start a new one with an "
            "empty message and no conversation_id.",
        )

    @app.exception_handler(ConversationBusy)
    async def _busy(_request: Request, exc: ConversationBusy) -> JSONResponse:
        return error_response(
            409,
            "conversation_busy",
            "The previous message of this conversation is still being answered. "
            "Please wait a moment and send your message again.",
        )

    @app.exception_handler(openai.APIError)
    async def _llm(_request: Request, exc: openai.APIError) -> JSONResponse:
        log.error("llm provider error: %s", type(exc).__name__)
        return error_response(
            503,
            "llm_unavailable",
            "The assistant is temporarily unavailable. Please try again shortly.",
            headers={"Retry-After": "10"},
        )

    async def _database(_request: Request, exc: Exception) -> JSONResponse:
        if not _is_outage(exc):
            # A constraint or SQL error is a bug on our side, not an unavailable database.
            log.error("database error", exc_info=exc)
            return _internal_error()
        log.error("database unavailable: %s", type(exc).__name__)
        return error_response(
            503,
            "database_unavailable",
            "The service cannot reach its database right now. Please try again shortly.",
            headers={"Retry-After": "5"},
        )

    for error in DATABASE_ERRORS:
        app.add_exception_handler(error, _database)

    @app.exception_handler(redis.exceptions.ConnectionError)
    @app.exception_handler(redis.exceptions.TimeoutError)
    async def _redis(_request: Request, exc: redis.exceptions.RedisError) -> JSONResponse:
        log.error("redis unavailable: %s", type(exc).__name__)
        return error_response(
            503,
            "redis_unavailable",
            "The service is temporarily unavailable. Please try again shortly.",
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        # The traceback is logged by the request middleware (and sent to Sentry), never to the client.
        return _internal_error()


def _internal_error() -> JSONResponse:
    return error_response(500, "internal_error", "Something went wrong on our side. Please try again.")


def _is_outage(exc: Exception) -> bool:
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        return exc.connection_invalidated or isinstance(
            exc, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError
        )
    return True


def _input_previews(exc: RequestValidationError) -> list[str]:
    previews = []
    for err in exc.errors():
        if "input" not in err:
            continue
        # A whole body, or a password field, may hold a secret the masker cannot recognise.
        secret = any(
            "password" in str(part).lower() or "secret" in str(part).lower() for part in err.get("loc", ())
        )
        previews.append(
            "<withheld>"
            if secret or isinstance(err["input"], dict)
            else repr(err["input"])[:_INPUT_PREVIEW_CHARS]
        )
    return previews
