"""A URL asked for while rendering → the bytes of one of the package's own assets, or a refusal."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["AssetFetcher", "RefusedURL"]


class RefusedURL(Exception):
    """Raised for every URL outside the assets folder; WeasyPrint skips the resource and renders on."""


class AssetFetcher(URLFetcher):
    """Deny by default: only existing files under `root` (fonts, CSS). No network, no data:, no other file."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(url2pathname(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(url, headers)
        raise RefusedURL("refused: not one of taperprep's own assets")
