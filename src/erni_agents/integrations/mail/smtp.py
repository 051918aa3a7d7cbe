"""Delivery of one message over SMTP, off the event loop (stdlib smtplib in a worker thread)."""

from __future__ import annotations

import asyncio
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage

from erni_agents.config import Settings

_ENHANCED_STATUS = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")
# One slow server must not hold a sender for long; the outbox retries later anyway.
TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class SmtpTransport:
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    use_tls: bool = False
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpTransport | None:
        """None when no SMTP_HOST is configured (mail delivery disabled)."""
        if not settings.smtp_host:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            use_tls=settings.smtp_use_tls,
        )

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if self.use_tls:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.starttls and not self.use_tls:
                # Raises SMTPNotSupportedError when the server offers no STARTTLS: never fall
                # back to sending credentials and personal data in clear text.
                client.starttls(context=context)
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)


def describe_error(exc: BaseException) -> str:
    """A short reason for the outbox row and the log: the SMTP code and class, never the
    message body, the credentials or the recipients' addresses."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in exc.recipients.values()})
        return f"SMTPRecipientsRefused {','.join(map(str, codes))}"[:200]
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else ""
        # The enhanced status code ("5.7.1") says enough; the server's text may quote an address.
        status = _ENHANCED_STATUS.match(text)
        return f"{type(exc).__name__} {exc.smtp_code} {status.group(0) if status else ''}".strip()
    if isinstance(exc, OSError):
        return f"{type(exc).__name__} {exc.strerror or ''}".strip()[:200]
    return type(exc).__name__[:200]
