"""Fuzzing: schemathesis against the live app's own OpenAPI schema, and hypothesis stories through Story → PDF. 0 ≥ 500.

`make test` runs a bounded number of examples; `make fuzz` sets TAPERPREP_FUZZ_EXAMPLES higher.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pypdf import PdfReader
from schemathesis import GenerationMode

from app.settings import Settings
from app.story import Method, Outcome, Pace, Paper, Section, Story, story_json
from app.web.render_queue import RenderQueue, build_service
from tests.helpers import LiveServer

EXAMPLES = int(os.environ.get("TAPERPREP_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=EXAMPLES <= 30,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_for_anything_the_schema_allows_or_almost_allows(
    live_server: LiveServer, mode: GenerationMode
) -> None:
    """Every operation in the app's own schema, EXAMPLES cases each: valid stories and near-misses (wrong types,
    missing fields, out-of-range numbers). (schemathesis' pytest plugin does not run under pytest 9, so each
    operation's hypothesis strategy is driven directly.)"""
    schema = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} == {
        "POST /api/v1/packets",
        "GET /api/v1/packs",
        "POST /api/v1/calendar",
        "POST /api/v1/answers",
    }
    seen: Counter[str] = Counter()
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and operation.label in {"GET /api/v1/packs", "POST /api/v1/answers"}:
            continue  # no input at all, or any bytes as a file: there is nothing that breaks the schema

        @FUZZ
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: schemathesis.Case) -> None:
            response = case.call(timeout=120)
            seen[f"{case.operation.label} {response.status_code}"] += 1
            assert response.status_code < 500, (case.operation.label, response.status_code)

        call()
    print(f"schemathesis {mode.value}: {dict(sorted(seen.items()))}")
    assert all(int(key.rsplit(" ", 1)[1]) < 500 for key in seen)
    if mode is GenerationMode.POSITIVE:
        assert seen["POST /api/v1/packets 200"] > 0, "no valid story reached the renderer"


# ---- hypothesis stories, straight through the contract and the renderer ----

ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
SCRIPTS = st.sampled_from(
    [
        "Zoë Ñúñez",
        "Ελληνικά",
        "Кириллица",
        "עברית",
        "العربية",
        "e\u0301\u0327",
        "😀👍🏽",
        "中文",
        "<b>x</b>",
        "url(file:///etc/passwd)",
        "{subject}",
        "\u202e\u200f",
    ]
)
TEXT = st.one_of(ANY_TEXT.map("x".__add__), SCRIPTS, st.lists(SCRIPTS, min_size=1, max_size=6).map(" ".join), ANY_TEXT)
"""Mostly non-blank, so most stories get as far as the renderer; blank and whitespace-only text still comes up."""


def _medication() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "name": st.one_of(st.sampled_from(["Xanax", "clonazepam", "zolpidem", "Valium", "lorazepam"]), TEXT),
            "dose_mg": st.floats(0.01, 1000),
            "times_per_day": st.floats(0.1, 12),
            "taking_since": st.sampled_from(["2019", "2020-04", "2024-12", "1950"]),
        },
        optional={"as_needed": st.booleans(), "prescribed_for": TEXT},
    )


STORIES = st.fixed_dictionaries(
    {
        "prepared_by": st.sampled_from(["patient", "caregiver"]),
        "medications": st.lists(_medication(), min_size=1, max_size=3),
    },
    optional={
        "caregiver": st.fixed_dictionaries({"name": TEXT, "relationship": TEXT}, optional={"phone": TEXT}),
        "patient": st.fixed_dictionaries({}, optional={"name": TEXT, "age": st.integers(0, 120), "pronouns": TEXT}),
        "appointment": st.fixed_dictionaries({}, optional={"prescriber_name": TEXT, "clinic": TEXT}),
        "reason_prescribed": TEXT,
        "experience": TEXT,
        "why_now": TEXT,
        "past_attempts": st.lists(
            st.fixed_dictionaries(
                {"when": TEXT, "method": st.sampled_from(list(Method))}, optional={"description": TEXT, "outcome": TEXT}
            ),
            max_size=2,
        ),
        "symptoms": st.lists(TEXT, max_size=4),
        "goals": st.fixed_dictionaries(
            {},
            optional={
                "outcome": st.sampled_from(list(Outcome)),
                "pace": st.sampled_from(list(Pace)),
                "requests": st.lists(TEXT, max_size=3),
                "notes": TEXT,
            },
        ),
        "options": st.fixed_dictionaries(
            {},
            optional={
                "paper": st.sampled_from(list(Paper)),
                "large_print": st.booleans(),
                "include_taper_draft": st.booleans(),
                "sections": st.lists(st.sampled_from(list(Section)), min_size=1, max_size=4),
            },
        ),
    },
)


@pytest.fixture(scope="module")
def service() -> RenderQueue:
    config = Settings()
    return build_service(config)


@given(raw=STORIES)
@FUZZ
def test_any_story_either_breaks_the_contract_cleanly_or_becomes_a_readable_pdf(
    service: RenderQueue, raw: dict[str, Any]
) -> None:
    """A missing glyph, refused fetch or figure without alt text would also fail here (conftest's WeasyPrint check)."""
    try:
        story = Story.model_validate(raw)
        packet = service.build(story)  # the library step refuses the same generic listed twice, as the API does
    except ValidationError as exc:
        assert exc.errors()
        event("refused by the contract (422)")
        return
    event("rendered to a PDF")
    pdf = service.renderer.pdf(packet, story_json(story))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    assert reader.attachments["story.json"][0] == story_json(story)


def test_braces_typed_anywhere_stay_as_typed(service: RenderQueue) -> None:
    """Found by the fuzzer above: a medicine called "x{" made a sentence template fail (500)."""
    story = Story.model_validate(
        {
            "prepared_by": "caregiver",
            "caregiver": {"name": "Sam", "relationship": "son"},
            "medications": [{"name": "x{subject}}{", "dose_mg": 1, "times_per_day": 1, "taking_since": "2020"}],
            "past_attempts": [{"when": "{0} {", "method": "fast_taper"}],
        }
    )
    html = service.renderer.html(service.build(story))
    assert "x{subject}}{" in html and "In {0} {," in html
