"""A Story → "What we agreed": the same fields in every language, their labels and prefilled decision in the one
spoken."""

from __future__ import annotations

from app.library.translations import speaking
from app.packet.agreed_page import AGREED_FIELDS, agreed_page
from app.story import Story
from tests.helpers import load_story


def test_english_labels_and_the_agreed_plan_prefilled() -> None:
    page = agreed_page(Story.model_validate(load_story("follow_up")))
    assert page.heading == "What we agreed"
    fields = {f.name: f for f in page.fields}
    assert fields["agreed_decision"].label == "What we decided" and fields["agreed_decision"].value == "reduce"
    assert fields["agreed_daily_mg"].value == "1.75" and fields["agreed_next_review"].value == "2027-01-14"


def test_in_spanish_the_same_fields_carry_spanish_labels_hints_and_decision() -> None:
    story = Story.model_validate(load_story("follow_up"))
    with speaking("es"):
        page = agreed_page(story)
    assert page.heading == "Lo que acordamos" and page.intro.startswith("Llénenlo juntos al final de la consulta")
    assert [f.name for f in page.fields] == [f.name for f in AGREED_FIELDS]
    fields = {f.name: f for f in page.fields}
    assert fields["agreed_decision"].label == "Lo que decidimos" and fields["agreed_decision"].value == "reducir"
    assert fields["agreed_check_in"].label == "Consulta de seguimiento"
    assert fields["agreed_date"].hint == "Año-mes-día, por ejemplo 2027-01-03"
    assert fields["agreed_contact"].value == "clinic nurse line 555-0100"  # what was typed stays as typed
    english = {f.name: f for f in agreed_page(story).fields}
    assert all(fields[n].label != english[n].label for n in fields)
