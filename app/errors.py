"""The errors taperprep raises across module boundaries, each carrying where the problem is.

TaperprepError
├── PackError          the resource packs are broken: one line per problem, naming file and field
├── CatalogueError     the product catalogue is broken: names the file and the field
├── UnknownResources   a story asked for pack/excerpt ids that do not exist: their positions in `resources`
├── Busy               too many renders waiting: answer 503 with Retry-After
└── TooSlow            a render passed the time limit: answer 503
"""

from __future__ import annotations

__all__ = ["Busy", "CatalogueError", "PackError", "TaperprepError", "TooSlow", "UnknownResources"]


class TaperprepError(Exception):
    pass


class PackError(TaperprepError):
    """The packs cannot be used; the message lists each problem: file, excerpt, rule (app/library/check.py)."""


class CatalogueError(TaperprepError):
    """The product catalogue cannot be used (app/library/products.py); the message names the file and the field."""


class UnknownResources(TaperprepError):
    def __init__(self, unknown: list[tuple[int, str]]) -> None:
        self.unknown = unknown
        super().__init__("unknown resource ids: " + ", ".join(repr(r) for _, r in unknown))

    def errors(self) -> list[dict[str, object]]:
        """Shaped like pydantic's error list, so the API answers one 422 format."""
        return [
            {
                "type": "unknown_resource",
                "loc": ["body", "resources", i],
                "msg": f"There is no pack or excerpt with the id {rid!r}",
                "input": rid,
            }
            for i, rid in self.unknown
        ]


# The renderer's refusals: app/main.py answers them, app/web/pages.py may re-render the form instead.
class Busy(TaperprepError):
    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"too many packets are being made; retry after {retry_after_seconds} s")


class TooSlow(TaperprepError):
    def __init__(self, limit_seconds: float) -> None:
        self.limit_seconds = limit_seconds
        super().__init__(f"the packet took longer than {limit_seconds:g} s to make")
