"""Booking confirmation e-mails: composed at booking time, delivered from the outbox table."""
