"""Dependency aliases for routes (`Annotated`, as in the FastAPI full-stack template)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from erni_agents.api.state import AppState
from erni_agents.conversation.service import ConversationService


def get_state(request: Request) -> AppState:
    return cast(AppState, request.app.state.erni)


def get_service(request: Request) -> ConversationService:
    return get_state(request).service


StateDep = Annotated[AppState, Depends(get_state)]
ServiceDep = Annotated[ConversationService, Depends(get_service)]
