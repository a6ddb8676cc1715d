"""ASGI requests → guarded requests: body limit, security headers, access log, catch-all and refusal pages."""
