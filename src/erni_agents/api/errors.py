"""One error envelope for every failure: `{"error": {"code", "message", "details"}}`."""

from __future__ import annotations

import logging
from typing import Any

import openai
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from erni_agents.conversation.locks import ConversationBusy
from erni_agents.conversation.service import ConversationNotFound

log = logging.getLogger(__name__)


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
        return error_response(422, "validation_error", f"The request is invalid. {summary}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}.get(
            exc.status_code, "http_error"
        )
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

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        # The details go to the log (and Sentry), never to the client.
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", "Something went wrong on our side. Please try again.")
