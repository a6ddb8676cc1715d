"""app/web/language.py, and the form in Spanish through the real app: first visit, switch, saved answers, downloads."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from app.story import Language, Story
from app.web.form import story_to_state
from app.web.form_steps import CHECK, STEPS, Answers, pack
from app.web.language import from_header, page_language
from tests.helpers import load_story, strings_in
from tests.web.test_pages import hidden_story, post_form, story_items

SPANISH = {"accept-language": "es-US,es;q=0.9,en;q=0.8"}
ENGLISH = {"accept-language": "en-US,en;q=0.9"}


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("es", Language.es),
        ("es-MX", Language.es),
        ("ES-us, en;q=0.5", Language.es),
        ("en-US,en;q=0.9,es;q=0.8", Language.en),
        ("en;q=0.3, es;q=0.7", Language.es),
        ("fr-FR, es;q=0.5, en;q=0.4", Language.es),
        ("es;q=0, en", Language.en),
        ("es;q=0.8, en;q=0.8", Language.es),
        ("en;q=0.8, es;q=0.8", Language.en),
        ("es;q=abc, en;q=0.1", Language.en),
    ],
)
def test_the_browser_s_most_wanted_language_we_speak(header: str, language: Language) -> None:
    assert from_header(header) is language


@pytest.mark.parametrize("header", ["", "*", "fr, de;q=0.9", "e", ";q=1", "esperanto"])
def test_no_language_we_speak_in_the_header(header: str) -> None:
    assert from_header(header) is None
    assert page_language(None, header) is Language.en


def test_an_explicit_choice_wins_over_the_header() -> None:
    assert page_language("en", "es") is Language.en
    assert page_language("es", "en") is Language.es
    assert page_language("fr", "es") is Language.es  # not a choice we know: the header decides


def _text(page: str) -> str:
    """What a person reads: no markup, scripts, templates, data lists or the packet's frame."""
    page = re.sub(r"<(script|style|template|datalist|textarea)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<iframe.*?</iframe>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_a_first_visit_asking_for_spanish_starts_in_spanish(client: TestClient) -> None:
    start = client.get("/", headers=SPANISH)
    assert '<html lang="es">' in start.text and "Empezar ahora" in start.text
    assert 'href="/prepare"' in start.text  # the header keeps deciding: nothing chosen yet
    form = client.get("/prepare", headers=SPANISH)
    assert '<html lang="es">' in form.text and "Quién prepara esto" in form.text
    assert '<input type="hidden" name="options-language" value="es">' in form.text
    english = client.get("/prepare", headers=ENGLISH)
    assert '<html lang="en">' in english.text and "Who is preparing this" in english.text
    for page in (start, form, english):  # the same address answers in two languages: no cache may mix them up
        assert page.headers["vary"] == "Accept-Language" and page.headers["cache-control"] == "no-store"


def test_the_start_page_switch_carries_the_choice_into_the_form(client: TestClient) -> None:
    start = client.get("/?lang=es", headers=ENGLISH)
    assert '<html lang="es">' in start.text
    assert 'href="/prepare?lang=es"' in start.text and 'href="/prepare?for=caregiver&amp;lang=es"' in start.text
    assert 'href="/?lang=en" lang="en" hreflang="en">English</a>' in start.text
    form = client.get("/prepare?for=caregiver&lang=es", headers=ENGLISH)
    assert '<html lang="es">' in form.text and "¿Qué es de usted la persona a quien ayuda?" in form.text


def test_the_answers_language_wins_over_the_header(client: TestClient) -> None:
    state = story_to_state(Story.model_validate({**load_story("minimal"), "options": {"language": "en"}}))
    page = client.get(f"/prepare/medicines?a={pack(Answers(state, 1))}", headers=SPANISH)
    assert '<html lang="en">' in page.text and "Add another medicine" in page.text


def test_the_switch_keeps_what_was_typed_on_the_page(client: TestClient) -> None:
    typed = [("options-language", "en"), ("meds-0-name", "Ativan"), ("meds-0-dose_mg", "½"), ("why_now", "Mi hija")]
    switched = post_form(client, typed, "language-es", step="medicines")
    assert switched.status_code == 200 and switched.url.path == "/prepare/medicines"
    assert '<html lang="es">' in switched.text and "Añadir otro medicamento" in switched.text
    assert 'value="Ativan"' in switched.text and 'value="½"' in switched.text
    assert 'name="why_now" value="Mi hija"' in switched.text  # another step's answer, carried
    back = post_form(client, [*typed[1:], ("options-language", "es")], "language-en", step="medicines")
    assert '<html lang="en">' in back.text and 'value="Ativan"' in back.text
    unknown = post_form(client, typed, "language-fr", step="medicines")
    assert '<html lang="en">' in unknown.text  # not a language we speak: the step is checked as Continue would


@pytest.mark.parametrize("slug", [CHECK, "preview"])
def test_check_and_preview_switch_to_the_same_page_in_the_other_language(client: TestClient, slug: str) -> None:
    state = story_to_state(Story.model_validate(load_story("patient_one_drug")))
    page = client.get(f"/prepare/{slug}?a={pack(Answers(state, 1))}").text
    link = re.search(rf'href="(/prepare/{slug}\?a=[^"]+)" lang="es" hreflang="es">Español</a>', page)
    assert link, "a link to this page in Spanish"
    spanish = client.get(html.unescape(link[1]))
    assert spanish.url.path == f"/prepare/{slug}" and '<html lang="es">' in spanish.text
    assert ("Revise sus respuestas" if slug == CHECK else "Revise sus documentos") in spanish.text


def test_spanish_answers_make_a_spanish_story_file_and_pdf_names(client: TestClient) -> None:
    items = [*story_items("caregiver_older_adult"), ("options-language", "es"), ("symptoms", "falls")]
    preview = post_form(client, items)
    assert '<html lang="es">' in preview.text and "Revise sus documentos" in preview.text
    story = json.loads(hidden_story(preview.text))
    assert story["options"]["language"] == "es"
    assert "caídas" in story["symptoms"]  # a ticked symptom in the words the person read
    today = dt.date.today().isoformat()
    saved = client.post("/packet", data={"story": hidden_story(preview.text), "action": "save"})
    assert saved.headers["content-disposition"] == f'attachment; filename="taperprep-respuestas-{today}.json"'
    assert json.loads(saved.content)["options"]["language"] == "es"
    pdf = client.post("/packet", data={"story": hidden_story(preview.text), "action": "download-prescriber"})
    name = f"taperprep-para-el-profesional-{today}.pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{name}"'
    embedded = json.loads(PdfReader(io.BytesIO(pdf.content)).attachments["story.json"][0])
    assert embedded["options"]["language"] == "es"
    reopened = client.post("/packet", data={"story": hidden_story(preview.text), "action": "change"})
    assert '<html lang="es">' in reopened.text and "caídas" in reopened.text


def test_a_reopened_spanish_file_stays_spanish_and_keeps_its_ticks(client: TestClient) -> None:
    data = {**load_story("patient_one_drug"), "symptoms": ["caídas", "mi propio síntoma"]}
    data["options"] = {**data.get("options", {}), "language": "es"}
    state = story_to_state(Story.model_validate(data))
    assert state.value("options-language") == "es"
    assert state.chosen("symptoms") == ["falls"] and state.value("symptoms_other") == "mi propio síntoma"
    page = client.post(
        "/prepare",
        data={"action": "open", "step": "about", "options-language": "en"},
        files={"saved_file": ("answers.json", json.dumps(data).encode(), "application/json")},
        headers=ENGLISH,
    )
    assert page.url.path == "/prepare/about" and '<html lang="es">' in page.text


def test_an_unfinished_spanish_draft_is_saved_under_a_spanish_name(client: TestClient) -> None:
    saved = post_form(client, [("options-language", "es"), ("patient-name", "Ana")], "save")
    assert re.fullmatch(
        r'attachment; filename="taperprep-respuestas-sin-terminar-\d{4}-\d\d-\d\d\.json"',
        saved.headers["content-disposition"],
    )
    assert ["options-language", "es"] in json.loads(saved.content)["fields"]


def test_spanish_errors_are_whole_spanish_sentences(client: TestClient) -> None:
    typed = [("options-language", "es"), ("meds-0-name", "Xanax"), ("meds-0-dose_mg", "media pastilla")]
    page = post_form(client, typed, "next", step="medicines")
    assert page.status_code == 422 and "<title>Error:" in page.text and "Hay un problema" in page.text
    summary = dict(re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', page.text))
    assert summary["meds-0-dose_mg"] == "Escriba la dosis con un número, por ejemplo 0.5 mg, ½ o 500 mcg"
    assert summary["meds-0-times_per_day"] == "Escriba cuántas veces al día, por ejemplo 2"


def test_spanish_asks_the_patient_s_gender_plainly_and_keeps_it_as_pronouns(client: TestClient) -> None:
    page = client.get("/prepare?for=caregiver", headers=SPANISH).text
    assert 'type="radio" value="she"' in page and 'type="radio" value="he"' in page
    assert 'type="radio" value="they"' in page and 'name="patient-pronouns" type="text"' not in page
    english = client.get("/prepare?for=caregiver", headers=ENGLISH).text
    assert 'name="patient-pronouns" type="text"' in english and 'value="she"' not in english
    items = [*story_items("caregiver_older_adult"), ("options-language", "es"), ("patient-pronouns", "he")]
    story = json.loads(hidden_story(post_form(client, items).text))
    assert story["patient"]["pronouns"] == "he"
    typed = state_with_pronouns("she/her")
    assert re.search(r'value="she"\s+checked', client.get(f"/prepare/about?a={typed}", headers=SPANISH).text)
    kept = state_with_pronouns("xe/xem")
    assert re.search(r'value="xe/xem"\s+checked', client.get(f"/prepare/about?a={kept}", headers=SPANISH).text)


def state_with_pronouns(pronouns: str) -> str:
    data = {**load_story("minimal"), "patient": {"pronouns": pronouns}, "options": {"language": "es"}}
    return pack(Answers(story_to_state(Story.model_validate(data)), 1))


def _english_segments(page: str) -> set[str]:
    """Each run of words between tags of an English page (three letters or more, not just a number or a name)."""
    page = re.sub(r"<(script|style|template|datalist|option)\b.*?</\1>", " ", page, flags=re.S)
    runs = {html.unescape(run).strip() for run in re.split(r"<[^>]+>", page)}
    return {run for run in runs if re.search(r"[a-z]{3}", run) and " " in run}


def _typed(value: object) -> set[str]:
    """Every text the person gave: it stays as they wrote it, in any language."""
    return {text for text in strings_in(value) if len(text) > 2}


def test_no_english_is_left_on_a_spanish_form_page(client: TestClient) -> None:
    """Every step (patient and caregiver voices), check your answers and the start page: no phrase of the English page
    is left on the Spanish one, except names (the sources' titles) and what the person typed."""
    packs = client.app.state.service.library.packs  # type: ignore[attr-defined]
    names = {text for p in packs for text in (p.title, f"{p.publisher}, {p.date}")}
    patient = Story.model_validate(load_story("follow_up")).model_dump(mode="json")
    caregiver = {**patient, "prepared_by": "caregiver", "caregiver": {"name": "Ana", "relationship": "hija"}}
    for data in (patient, caregiver):
        typed = _typed(data)
        for path in ["/", *(f"/prepare/{step.slug}" for step in STEPS), f"/prepare/{CHECK}"]:
            said = {}
            for lang in ("en", "es"):
                story = Story.model_validate({**data, "options": {**data["options"], "language": lang}})
                token = pack(Answers(story_to_state(story), 1))
                said[lang] = client.get(f"/?lang={lang}" if path == "/" else f"{path}?a={token}").text
            spanish = _text(said["es"])
            left = sorted(
                run
                for run in _english_segments(said["en"]) - names
                if run in spanish and not any(text in run for text in typed)
            )
            assert left == [], f"{path} ({data['prepared_by']}): English left in Spanish: {left[:5]}"


def test_an_unfinished_draft_without_a_language_opens_in_the_page_s_language(client: TestClient) -> None:
    draft = {"format": "taperprep-unfinished-answers", "fields": [["patient-name", "Ana"]]}
    page = client.post(
        "/prepare",
        data={"action": "open", "step": "about", "options-language": "es"},
        files={"saved_file": ("draft.json", json.dumps(draft).encode(), "application/json")},
        headers=ENGLISH,
    )
    assert page.url.path == "/prepare/about" and '<html lang="es">' in page.text and 'value="Ana"' in page.text
