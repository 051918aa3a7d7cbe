"""Dependency aliases for routes (`Annotated`, as in the FastAPI full-stack template)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from erni_agents.api.state import AppState
from erni_agents.conversation.service import ConversationService


# `async def` on purpose: FastAPI runs a plain `def` dependency in its thread pool, a thread
# hand-off per dependency per request for what is an attribute lookup.
async def get_state(request: Request) -> AppState:
    return cast(AppState, request.app.state.erni)


async def get_service(request: Request) -> ConversationService:
    return cast(AppState, request.app.state.erni).service


StateDep = Annotated[AppState, Depends(get_state)]
ServiceDep = Annotated[ConversationService, Depends(get_service)]
