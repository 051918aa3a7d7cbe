"""The staff API: login, bookings, conversations, inquiries and guardrail trips for ERNI employees."""
