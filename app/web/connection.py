"""uvicorn's h11 connection → one that a stopping worker closes without losing a request already on its way.

A worker recycled by --max-requests (or stopped by SIGTERM) closes its listening socket, then every connection that is
not mid-request, and lets the requests in flight finish before it closes theirs. Two requests were lost that way
(the race gunicorn #2567 and #3038 describe): one sent on a connection the worker had accepted just before it began to
stop (CI met it in `test_max_requests_recycles_the_worker_without_failing_a_request`), and one sent on a kept-alive
connection at the moment it was closed, or just after a response that gave no sign the connection would close
(`make soak`). So a stopping worker:
- gives a connection that is not mid-request a moment before closing it, and serves a request that arrives in it;
- answers every request it serves from then on with `Connection: close`, so no client sends another on that
  connection.
"""

from __future__ import annotations

from uvicorn.protocols.http.flow_control import CLOSE_HEADER
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["STOPPING_GRACE_SECONDS", "Connection"]

STOPPING_GRACE_SECONDS = 1.0
"""A client sends its request as soon as it has connected, or as soon as it has read the last answer; a second covers
a busy machine many times over, and a connection that sends nothing holds its stopping worker up by that second."""


class Connection(H11Protocol):
    """uvicorn's h11 connection; when its worker stops, it waits a moment for a request on its way and says it will
    close in its answers."""

    stopping = False

    def shutdown(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        if self.cycle is not None and not self.cycle.response_complete:
            self._answer_with_close()
            super().shutdown()
        else:
            self.loop.call_later(STOPPING_GRACE_SECONDS, self._shutdown_after_grace)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.stopping:
            self._answer_with_close()

    def _shutdown_after_grace(self) -> None:
        if not self.transport.is_closing():
            super().shutdown()

    def _answer_with_close(self) -> None:
        """uvicorn answers `Connection: close` to a request that asked for it, then closes the connection; the request
        being served (its answer not started yet) is treated as one that asked."""
        if self.cycle is not None and not self.cycle.response_started and CLOSE_HEADER not in self.headers:
            self.headers.append(CLOSE_HEADER)
