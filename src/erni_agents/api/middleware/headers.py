"""Security headers on every HTTP response, error responses included."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
# Swagger UI and ReDoc (self-hosted, see routes/docs.py) set inline styles from JavaScript and
# ReDoc searches in a blob: worker; scripts stay 'self'.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
HSTS = "max-age=31536000; includeSubDomains"


def _encoded(headers: dict[str, str]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items())


class SecurityHeadersMiddleware:
    """Adds the headers unless a route set its own value on purpose (e.g. a page meant to be framed)."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        common = {
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        }
        if hsts:
            common["Strict-Transport-Security"] = HSTS
        self.default = _encoded({**common, "Content-Security-Policy": CONTENT_SECURITY_POLICY})
        self.docs = _encoded({**common, "Content-Security-Policy": DOCS_CONTENT_SECURITY_POLICY})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        extra = self.docs if path in DOCS_PATHS else self.default

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Encoded once at start-up and appended in one step: this runs for every response.
                raw = list(message.get("headers", ()))
                present = {name.lower() for name, _ in raw}
                raw.extend(header for header in extra if header[0] not in present)
                message["headers"] = raw
            await send(message)

        await self.app(scope, receive, send_with_headers)
