"""app/web/medicine_names.py: a gentle question for a name the drug table does not know."""

from __future__ import annotations

from app.library.drugs import identify
from app.web.form import FormState
from app.web.medicine_names import did_you_mean, name_questions


def test_a_typo_gets_did_you_mean() -> None:
    assert did_you_mean("alprazolm") == "alprazolam"
    questions = name_questions(FormState(meds=[{"name": "Xanax"}, {"name": "alprazolm"}]))
    assert [(q.field, q.message) for q in questions] == [
        ("meds-1-name", "We don't recognise ‘alprazolm’. Did you mean alprazolam?")
    ]


def test_a_medicine_that_is_not_a_benzodiazepine_gets_the_gentle_question() -> None:
    [question] = name_questions(FormState(meds=[{"name": "sertraline"}]))
    assert "We don't know ‘sertraline’ as a benzodiazepine or sleeping pill" in question.message


def test_keep_it_as_typed_ends_the_question_and_brands_are_known() -> None:
    assert name_questions(FormState(meds=[{"name": "alprazolm", "keep_name": "yes"}])) == []
    assert name_questions(FormState(meds=[{"name": "Stilnoct"}, {"name": "Zimovane"}, {"name": ""}])) == []
    drug = identify("Stilnoct")
    assert drug is not None and drug.generic == "zolpidem"
