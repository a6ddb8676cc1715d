"""A rendered packet read with pikepdf: tagged (structure tree, /MarkInfo), language, title, headings and tables marked
up, the chart's alternative text, and a reading order that follows the pages."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pikepdf
import pytest
from fastapi.testclient import TestClient

from tests.helpers import load_story


@pytest.fixture(scope="module")
def taper_story() -> dict[str, Any]:
    story = load_story("patient_one_drug")
    # Diazepam tablets make every step of the draft, so the plan has its table of steps and its chart.
    story["medications"][0].update(name="Valium", dose_mg=10, times_per_day=4)
    story["options"]["include_taper_draft"] = True
    return story


@pytest.fixture(scope="module")
def document(client: TestClient, taper_story: dict[str, Any]) -> Iterator[pikepdf.Pdf]:
    response = client.post("/api/v1/packets", json=taper_story)
    assert response.status_code == 200
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        yield pdf


@pytest.fixture(scope="module")
def html(client: TestClient, taper_story: dict[str, Any]) -> str:
    return client.post("/api/v1/packets?format=html", json=taper_story).text


def _elements(pdf: pikepdf.Pdf) -> list[tuple[str, int | None, pikepdf.Dictionary]]:
    """The structure tree in document order: (type, page index or None, element)."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found: list[tuple[str, int | None, pikepdf.Dictionary]] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            page = node.get("/Pg")
            found.append((str(node.S), pages.get(page.objgen) if page is not None else None, node))
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_tagged_with_language_and_title(document: pikepdf.Pdf) -> None:
    assert "/StructTreeRoot" in document.Root
    assert bool(document.Root.MarkInfo.Marked)
    assert str(document.Root.Lang) == "en"
    assert str(document.docinfo["/Title"]) == "Tapering conversation — Jordan Avery"
    assert bool(document.Root.ViewerPreferences.DisplayDocTitle)
    with document.open_metadata() as xmp:
        assert xmp["dc:title"] == "Tapering conversation — Jordan Avery"
        assert xmp.get("pdfuaid:part") == "1"


def test_headings_and_tables_are_marked_up(document: pikepdf.Pdf) -> None:
    kinds = [kind for kind, _, _ in _elements(document)]
    assert kinds.count("/Document") == 1
    assert kinds.count("/H1") >= 4 and kinds.count("/H2") >= 5
    assert kinds.count("/Table") >= 3 and "/TH" in kinds and "/TD" in kinds and "/TR" in kinds
    assert "/THead" in kinds and "/TBody" in kinds


def test_the_chart_is_a_figure_with_alternative_text(document: pikepdf.Pdf) -> None:
    figures = [element for kind, _, element in _elements(document) if kind == "/Figure"]
    assert len(figures) == 1
    alt = str(figures[0].Alt)
    assert alt.startswith("Chart of the draft taper for Valium: from 40 mg to 19 mg a day")


def test_reading_order_follows_the_html_and_the_pages(document: pikepdf.Pdf, html: str) -> None:
    """Headings appear in the structure tree in the order the HTML (one column, so also the eye) has them, and
    the pages they sit on never go backwards."""
    tagged = [(kind, page) for kind, page, _ in _elements(document) if re.fullmatch(r"/H[1-6]", kind)]
    in_html = [f"/H{level}" for level in re.findall(r"<h([1-6])\b", html)]
    assert [kind for kind, _ in tagged] == in_html
    pages = [page for _, page in tagged if page is not None]
    assert pages == sorted(pages) and pages[0] == 0
