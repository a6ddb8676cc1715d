"""A just-accepted connection → served, even when its worker starts to stop before the request has arrived.

A worker recycled by --max-requests (or stopped by SIGTERM) closes its listening socket, then its idle connections. One
it accepted a moment before, whose request is still on its way, looks idle too: uvicorn closes it with the request
unread, the kernel answers with a reset, and the client loses a request nobody refused (the race gunicorn #2567 and
#3038 describe; CI met it once in `test_max_requests_recycles_the_worker_without_failing_a_request`). Such a connection
is given a moment to send its request; that request is served, and the connection then closes as any other would.
"""

from __future__ import annotations

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["FIRST_REQUEST_GRACE_SECONDS", "Connection"]

FIRST_REQUEST_GRACE_SECONDS = 1.0
"""A client sends its request as soon as it has connected; a second covers a busy machine many times over, and a
connection that sends nothing (a browser's spare one) holds its stopping worker up by that second at most."""


class Connection(H11Protocol):
    """uvicorn's h11 connection, with a grace for a request still on its way when the worker starts to stop."""

    def shutdown(self) -> None:
        if self.cycle is None and not self.transport.is_closing():
            self.loop.call_later(FIRST_REQUEST_GRACE_SECONDS, self._shutdown_after_grace)
        else:
            super().shutdown()

    def _shutdown_after_grace(self) -> None:
        if not self.transport.is_closing():
            super().shutdown()
