"""The HTTP middleware of the API and their order.

Outermost, around Starlette's ServerErrorMiddleware (see `wrap_outer`): security headers,
trusted-proxy resolution of the client address, request observation (id, log, metrics) — so
even a 500 from an unhandled exception has them. Inside, in request order: trusted hosts, CORS,
rate limits, body size limit, compression, then FastAPI's exception handlers and the routes.
"""
