"""Routes of the staff API under /staff. Thin: parse, authorize, call the service, shape errors."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from erni_agents.api.errors import error_response
from erni_agents.api.schemas import ErrorEnvelope
from erni_agents.domain.types import SpecialistType
from erni_agents.staff.deps import AdminStaff, CurrentStaff, EditorStaff, StaffServiceDep
from erni_agents.staff.schemas import (
    BookingOut,
    ConversationDetail,
    ConversationSummary,
    GuardrailTripOut,
    InquiryOut,
    LoginRequest,
    StaffMe,
    StaffUserOut,
    TokenResponse,
)
from erni_agents.staff.service import BookingAlreadyCancelled, BookingNotFound


def _no_store(response: Response) -> None:
    # Personal data of customers: no browser or proxy cache may keep a copy.
    response.headers["Cache-Control"] = "no-store"


router = APIRouter(prefix="/staff", tags=["staff"], dependencies=[Depends(_no_store)])


_DESCRIPTIONS = {
    401: "Missing, invalid or expired bearer token, or the account is deactivated",
    403: "The account's role may not do this",
    422: "Invalid parameters",
}


def _errors(*entries: int | tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` in the error envelope; an entry is a status or (status, description)."""
    result: dict[int | str, dict[str, Any]] = {}
    for entry in entries:
        code, description = entry if isinstance(entry, tuple) else (entry, _DESCRIPTIONS[entry])
        result[code] = {"model": ErrorEnvelope, "description": description}
    return result


Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip")]


@router.post(
    "/login",
    response_model=TokenResponse,
    responses=_errors((401, "Unknown user or wrong password"), 422, (429, "Too many login attempts")),
)
async def login(
    body: LoginRequest, request: Request, service: StaffServiceDep
) -> TokenResponse | JSONResponse:
    """Exchange username and password for a bearer token."""
    client_ip = request.client.host if request.client else "unknown"
    token = await service.login(body.username, body.password, client_ip)
    if token is None:
        return error_response(
            401, "invalid_credentials", "Wrong username or password.", headers={"WWW-Authenticate": "Bearer"}
        )
    return token


@router.get("/me", response_model=StaffMe, responses=_errors(401))
async def me(user: CurrentStaff) -> StaffMe:
    """The account the token belongs to."""
    return StaffMe.model_validate(user)


@router.get("/users", response_model=list[StaffUserOut], responses=_errors(401, 403))
async def users(_admin: AdminStaff, service: StaffServiceDep) -> list[StaffUserOut]:
    """All staff accounts (admin only)."""
    return await service.users()


@router.get("/bookings", response_model=list[BookingOut], responses=_errors(401, 422))
async def bookings(
    _user: CurrentStaff,
    service: StaffServiceDep,
    status: Literal["active", "cancelled", "all"] = "active",
    specialist: Annotated[str | None, Query(max_length=120, description="Specialist's full name")] = None,
    specialist_type: SpecialistType | None = None,
    date_from: Annotated[date | None, Query(description="First day (company time zone), inclusive")] = None,
    date_to: Annotated[date | None, Query(description="Last day (company time zone), inclusive")] = None,
    upcoming: Annotated[bool | None, Query(description="true: from now on; false: in the past")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[BookingOut]:
    """Bookings sorted by start time (UTC)."""
    return await service.bookings(
        status=status,
        specialist=specialist,
        specialist_type=specialist_type.value if specialist_type else None,
        date_from=date_from,
        date_to=date_to,
        upcoming=upcoming,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/bookings/{booking_id}/cancel",
    response_model=BookingOut,
    responses=_errors(401, 403, (404, "Unknown booking"), (409, "The booking is already cancelled"), 422),
)
async def cancel_booking(
    booking_id: Annotated[int, Path(ge=1)], editor: EditorStaff, service: StaffServiceDep
) -> BookingOut | JSONResponse:
    """Cancel a booking (staff and admin); the slot becomes bookable again and the customer gets a
    cancellation e-mail."""
    try:
        return await service.cancel_booking(booking_id, editor.username)
    except BookingNotFound:
        return error_response(404, "booking_not_found", f"There is no booking with id {booking_id}.")
    except BookingAlreadyCancelled:
        return error_response(409, "booking_already_cancelled", f"Booking {booking_id} is already cancelled.")


@router.get("/conversations", response_model=list[ConversationSummary], responses=_errors(401, 422))
async def conversations(
    _user: CurrentStaff, service: StaffServiceDep, limit: Limit = 50, offset: Offset = 0
) -> list[ConversationSummary]:
    """Conversations, newest first."""
    return await service.conversations(limit, offset)


@router.get(
    "/conversations/{conversation_id}",
    response_model=ConversationDetail,
    responses=_errors(401, (404, "Unknown conversation"), 422),
)
async def conversation(
    conversation_id: Annotated[str, Path(max_length=64)], _user: CurrentStaff, service: StaffServiceDep
) -> ConversationDetail | JSONResponse:
    """One conversation with its transcript and every recorded event."""
    detail = await service.conversation(conversation_id)
    if detail is None:
        return error_response(404, "conversation_not_found", "There is no conversation with this id.")
    return detail


@router.get("/inquiries", response_model=list[InquiryOut], responses=_errors(401, 422))
async def inquiries(
    _user: CurrentStaff, service: StaffServiceDep, limit: Limit = 100, offset: Offset = 0
) -> list[InquiryOut]:
    """Leads (cost estimates with contact data when given), newest first."""
    return await service.inquiries(limit, offset)


@router.get(
    "/inquiries.csv",
    response_class=StreamingResponse,
    responses={**_errors(401), 200: {"content": {"text/csv": {}}, "description": "All inquiries as CSV"}},
)
async def inquiries_csv(_user: CurrentStaff, service: StaffServiceDep) -> Response:
    """All inquiries as a CSV download (cells that a spreadsheet would run as formulas are quoted)."""
    return StreamingResponse(
        service.inquiries_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="inquiries.csv"', "Cache-Control": "no-store"},
    )


@router.get("/guardrail-trips", response_model=list[GuardrailTripOut], responses=_errors(401, 422))
async def guardrail_trips(
    _user: CurrentStaff, service: StaffServiceDep, limit: Limit = 100, offset: Offset = 0
) -> list[GuardrailTripOut]:
    """Customer messages blocked by an input guardrail, newest first."""
    return await service.guardrail_trips(limit, offset)
