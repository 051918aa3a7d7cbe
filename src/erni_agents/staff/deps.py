"""Authentication and authorization dependencies of the staff routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from erni_agents.api.deps import StateDep
from erni_agents.staff.repository import StaffRepository
from erni_agents.staff.security import InvalidToken, Role
from erni_agents.staff.service import StaffService
from erni_agents.store.models import StaffUser

# auto_error=False: a missing token gets our own 401 envelope instead of FastAPI's default.
_bearer = HTTPBearer(auto_error=False, description="The access_token of POST /staff/login")


def get_staff_service(state: StateDep) -> StaffService:
    return StaffService(
        repos=state.repos,
        staff=StaffRepository(state.repos.factory),
        settings=state.settings,
        mail_wakeup=state.mail.wake if state.mail is not None else None,
    )


StaffServiceDep = Annotated[StaffService, Depends(get_staff_service)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=message, headers={"WWW-Authenticate": "Bearer"})


async def current_staff(
    service: StaffServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StaffUser:
    if credentials is None:
        raise _unauthorized("Log in first: this endpoint needs an 'Authorization: Bearer <token>' header.")
    try:
        return await service.user_for_token(credentials.credentials)
    except InvalidToken:
        raise _unauthorized("The access token is invalid or has expired. Please log in again.") from None


CurrentStaff = Annotated[StaffUser, Depends(current_staff)]


def require_role(*roles: Role) -> Callable[[StaffUser], Awaitable[StaffUser]]:
    allowed = frozenset(roles)

    async def check(user: CurrentStaff) -> StaffUser:
        if user.role not in allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"The role '{user.role}' may not do this (needs {' or '.join(sorted(allowed))}).",
            )
        return user

    return check


AdminStaff = Annotated[StaffUser, Depends(require_role(Role.ADMIN))]
EditorStaff = Annotated[StaffUser, Depends(require_role(Role.ADMIN, Role.STAFF))]
