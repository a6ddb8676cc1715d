"""The web form in real Chromium (Debian's package) against a real uvicorn: paths with and without JS, keyboard, axe."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from pypdf import PdfReader

from app.library.translations import _ as translated
from app.library.translations import speaking
from tests.helpers import LiveServer, pdf_pages

pytestmark = pytest.mark.browser

HERE = Path(__file__).parent
AXE = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = HERE / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FORM_VALUES = """() => Array.from(document.getElementById("story-form").elements)
  .filter(e => e.name && !["file", "submit", "button"].includes(e.type)
               && !["form", "step", "rev", "return"].includes(e.name)
               && (!["checkbox", "radio"].includes(e.type) || e.checked))
  .map(e => [e.name, e.value]).sort()"""
STEP_TITLES = [
    "Who is preparing this",
    "Medicines",
    "Past attempts to cut down or stop",
    "How things are now",
    "Why now, and what you hope for",
    "Since your last visit",
    "The appointment, and what to print",
]


def words(lang: str, english: str) -> str:
    """What the page says for `english` in `lang`, to find it by."""
    with speaking(lang):
        return translated(english)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Module-scoped: while sync Playwright runs, its event loop counts as running in this thread, which would
    break every later test that starts a loop of its own (anyio.run, another sync_playwright)."""
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium package is needed: `make system-deps` installs it"
    browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@contextmanager
def _context(browser: Browser, **options: Any) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, **options)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    with _context(browser) as fresh:
        yield fresh


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page whose console must stay clean: a CSP refusal or a script error fails the test."""
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "422" not in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    assert problems == []


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    with _context(browser, java_script_enabled=False) as context:
        yield context.new_page()


class Script:
    """A first-time person's path through the form, counting what they do: pages seen, keys typed, clicks."""

    def __init__(self, page: Page, js: bool) -> None:
        self.page, self.js = page, js
        self.keys = self.clicks = 0
        self.pages = 1

    def fill(self, selector: str, text: str) -> None:
        self.page.fill(selector, text)
        self.keys += len(text)

    def check(self, selector: str) -> None:
        self.page.check(selector)
        self.clicks += 1

    def select(self, selector: str, value: str) -> None:
        self.page.select_option(selector, value)
        self.clicks += 2

    def click(self, selector: str, navigates: bool = True) -> None:
        with self.page.expect_navigation() if navigates else _nothing():
            self.page.click(selector)
        self.clicks += 1
        self.pages += navigates

    def next(self) -> None:
        self.click("button.button[value='next']")


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def heading(page: Page) -> str:
    return page.locator("h1").inner_text()


def patient_path(script: Script) -> None:
    """Sam, a patient: every step, natural input ("0.5 mg", "Apr 2018"), a second medicine, one past attempt."""
    page = script.page
    expect(page.locator("h1")).to_have_text(STEP_TITLES[0])
    script.check("#prepared_by")
    script.fill("#patient-name", "Sam Lee")
    script.fill("#patient-age", "52")
    script.next()
    expect(page.locator("h1")).to_have_text(STEP_TITLES[1])
    script.fill("#meds-0-name", "Klonopin")
    script.fill("#meds-0-dose_mg", "0.5 mg")
    script.fill("#meds-0-times_per_day", "2")
    script.fill("#meds-0-taking_since", "Apr 2018")
    script.fill("#meds-0-prescribed_for", "panic attacks")
    script.click("text=Add another medicine", navigates=not script.js)
    script.fill("#meds-1-name", "Ambien")
    script.fill("#meds-1-dose_mg", "5")
    script.fill("#meds-1-times_per_day", "1")
    script.fill("#meds-1-taking_since", "2021")
    script.next()
    expect(page.locator("h1")).to_have_text(STEP_TITLES[2])
    script.click("text=Add a past attempt", navigates=not script.js)
    script.fill("#attempts-0-when", "2020")
    script.select("#attempts-0-method", "cold_turkey")
    script.next()
    expect(page.locator("h1")).to_have_text(STEP_TITLES[3])
    script.check("#symptoms")
    script.fill("#experience", "Mornings feel foggy and I worry about my memory.")
    script.next()
    expect(page.locator("h1")).to_have_text(STEP_TITLES[4])
    script.fill("#why_now", "I want to drive my grandchildren safely.")
    script.check("#goals-outcome-reduce")
    script.fill("#goals-requests", "Could we make the cuts smaller?")
    script.next()
    expect(page.locator("h1")).to_have_text(STEP_TITLES[5])
    script.next()
    expect(page.locator("h1")).to_have_text(STEP_TITLES[6])
    script.next()
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator("main")).to_contain_text("Klonopin: 0.5 mg, 2 times a day, since 2018-04")
    script.click("button:has-text('Make the packet')")
    expect(page.locator("h1")).to_have_text("Check your packet")


def continue_to_preview(page: Page, lang: str = "en") -> None:
    page.click("button[value='check']")
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name(words(lang, "Check your packet"))


def download_pdf(page: Page, button: str = "For my prescriber") -> tuple[str, bytes]:
    """One of the preview's two downloads: the prescriber copy, or the booklet ("For me" / "For us")."""
    with page.expect_download() as info:
        page.locator(f"button:has-text('{button}')").first.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def open_saved_file(page: Page, name: str, mime: str, data: bytes) -> None:
    """Attach a file to "Open saved answers" and press the button."""
    page.set_input_files("#saved_file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.click("button:has-text('Open saved answers')")


def text_of(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


SHOWN_CONTROLS = """() => Array.from(document.querySelectorAll("#story-form :is(input, select, textarea)"))
  .filter(e => e.type !== "hidden" && e.name !== "saved_file" && e.offsetParent !== null
               && !e.closest("details:not([open])"))
  .length"""


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_patient_completes_every_step(
    browser: Browser, live_server: LiveServer, js: bool, device: str, viewport: dict[str, int]
) -> None:
    with _context(browser, java_script_enabled=js) as context:
        page = context.new_page()
        page.set_viewport_size(viewport)
        page.goto(live_server.url + "/")
        page.click("text=Start now")
        script = Script(page, js)
        patient_path(script)
        frame = page.frame_locator("iframe.packet-frame")
        expect(frame.locator("body")).to_contain_text("Klonopin")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        page.wait_for_function("() => document.querySelector('iframe').contentDocument.readyState === 'complete'")
        packet = page.frames[1].evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert packet[0] <= packet[1], f"the packet scrolls sideways: {packet}"
        if js and device == "desktop":
            page.evaluate(
                "() => { document.querySelector('iframe').contentWindow.print = () => { window.printed = 1; }; }"
            )
            page.click("[data-print]")
            assert page.evaluate("() => window.printed") == 1  # Print prints the packet itself, not this page
            page.click("text=Copy the message")
            expect(page.locator("[data-copy-status]")).to_contain_text("Copied")
        name, pdf = download_pdf(page)
        assert re.fullmatch(r"taperprep-for-the-prescriber-\d{4}-\d\d-\d\d\.pdf", name)
        text = text_of(pdf)
        for typed in ("Sam Lee", "Klonopin", "Ambien", "Mornings feel foggy", "Could we make the cuts smaller?"):
            assert typed in text
        if js and device == "desktop":
            MEASURED.parent.mkdir(exist_ok=True)
            MEASURED.write_text(json.dumps({"pages": script.pages, "keys": script.keys, "clicks": script.clicks}))


MEASURED = HERE / "screenshots" / "first-time-patient.json"


@pytest.mark.parametrize(("js", "viewport"), [(True, PHONE), (False, DESKTOP)], ids=["js-phone", "no-js-desktop"])
def test_a_caregiver_completes_every_step(
    browser: Browser, live_server: LiveServer, js: bool, viewport: dict[str, int]
) -> None:
    with _context(browser, java_script_enabled=js) as context:
        page = context.new_page()
        page.set_viewport_size(viewport)
        page.goto(live_server.url + "/")
        page.click("text=I’m helping someone else")
        expect(page.locator("#caregiver-name")).to_be_visible()
        page.fill("#caregiver-name", "Linda Okafor")
        page.fill("#caregiver-relationship", "mother")
        page.check("#caregiver-patient_knows")
        page.check("#caregiver-coming_together")
        page.fill("#patient-name", "Margaret Okafor")
        page.fill("#patient-age", "88")
        page.select_option("#options-country", "GB")
        page.click("button.button[value='next']")
        expect(page.locator("main")).to_contain_text("they take")
        page.fill("#meds-0-name", "Stilnoct")
        page.fill("#meds-0-dose_mg", "½")
        page.fill("#meds-0-times_per_day", "1")
        page.fill("#meds-0-taking_since", "04/2019")
        page.click("button.button[value='next']")
        page.click("text=Add a past attempt")
        page.fill("#attempts-0-when", "spring 2024")
        page.select_option("#attempts-0-method", "hospital_stay")
        page.click("button.button[value='next']")
        page.fill("#experience", "She has had two falls this year.")
        page.click("button.button[value='next']")
        page.click("button.button[value='next']")
        page.click("button.button[value='next']")
        expect(page.locator("#appointment-date-hint")).to_contain_text("day first")
        page.fill("#appointment-date", "14/1/2027")
        page.check("#options-paper-a4")
        page.click("button.button[value='next']")
        main = page.locator("main")
        for shown in ("Stilnoct: 0.5 mg, 1 times a day, since 2019-04", "2027-01-14", "United Kingdom"):
            expect(main).to_contain_text(shown)
        continue_to_preview(page)
        text = text_of(download_pdf(page)[1])
        assert "Linda Okafor" in text and "She has had two falls this year." in text
        assert "went through a detox" not in text and "not for handing over" not in text
        booklet = text_of(download_pdf(page, "For us")[1])
        assert "My mother" in booklet and "For us — not for handing over" in booklet
        assert "999" in booklet and "went through a detox" not in booklet  # the UK's emergency number


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_caregiver_whose_browser_asks_for_spanish_completes_every_step_in_spanish(
    browser: Browser, live_server: LiveServer, js: bool
) -> None:
    """Accept-Language: es-US (the browser's locale) starts in Spanish; the answers, the story in the PDF and the
    files' names stay Spanish to the end."""
    with _context(browser, java_script_enabled=js, locale="es-US") as context:
        page = context.new_page()
        page.goto(live_server.url + "/")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        page.click("text=Ayudo a otra persona")
        expect(page.locator("h1")).to_have_text("Quién prepara esto")
        page.fill("#caregiver-name", "Lucía Gómez")
        page.fill("#caregiver-relationship", "madre")
        page.check("#patient-pronouns")  # "Ella": stored as "she"
        page.fill("#patient-name", "Carmen Gómez")
        page.fill("#patient-age", "81")
        page.click("button.button[value='next']")
        expect(page.locator("h1")).to_have_text("Medicamentos")
        expect(page.locator("main")).to_contain_text("que toma ahora esa persona")
        page.fill("#meds-0-name", "Ativan")
        page.fill("#meds-0-dose_mg", "0,5 mg")
        page.fill("#meds-0-times_per_day", "2")
        page.fill("#meds-0-taking_since", "abril de 2019")
        page.click("text=Añadir otro medicamento")
        page.fill("#meds-1-name", "Ambien")
        page.fill("#meds-1-dose_mg", "5")
        page.fill("#meds-1-times_per_day", "1")
        page.fill("#meds-1-taking_since", "2021")
        page.click("button.button[value='next']")
        expect(page.locator("h1")).to_have_text("Intentos anteriores de bajar la dosis o dejarlo")
        page.click("text=Añadir un intento anterior")
        page.fill("#attempts-0-when", "2022")
        page.select_option("#attempts-0-method", "fast_taper")
        page.click("button.button[value='next']")
        page.check("#symptoms")
        page.fill("#experience", "Duerme mal y tiene miedo de caerse.")
        page.click("button.button[value='next']")
        page.check("#goals-outcome-reduce")
        page.click("button.button[value='next']")
        expect(page.locator("h1")).to_have_text("Desde su última cita")
        page.click("button.button[value='next']")
        expect(page.locator("#appointment-date-hint")).to_contain_text("primero el mes")
        page.fill("#appointment-date", "14 de marzo de 2027")
        page.click("button.button[value='next']")
        expect(page.locator("h1")).to_have_text("Revise sus respuestas")
        main = page.locator("main")
        for shown in ("Ativan: 0.5 mg, 2 veces al día, desde 2019-04", "2027-03-14", "problemas para dormir"):
            expect(main).to_contain_text(shown)
        continue_to_preview(page, "es")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        name, pdf = download_pdf(page, "Para el profesional que receta")
        assert re.fullmatch(r"taperprep-para-el-profesional-\d{4}-\d\d-\d\d\.pdf", name)
        assert "Lucía Gómez" in text_of(pdf) and "Ativan" in text_of(pdf)
        story = json.loads(PdfReader(io.BytesIO(pdf)).attachments["story.json"][0])
        assert story["options"]["language"] == "es" and story["patient"]["pronouns"] == "she"
        assert "problemas para dormir" in story["symptoms"]
        with page.expect_download() as info:
            page.locator("button[value='download-personal']").first.click()
        assert re.fullmatch(r"taperprep-para-mi-\d{4}-\d\d-\d\d\.pdf", info.value.suggested_filename)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_the_language_switch_keeps_what_was_typed(browser: Browser, live_server: LiveServer, js: bool) -> None:
    """English | Español on every page: on a step it posts the page as it is, so nothing typed is lost."""
    with _context(browser, java_script_enabled=js) as context:
        page = context.new_page()
        page.goto(live_server.url + "/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.click("a[hreflang='es']")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        page.click("text=Empezar ahora")
        expect(page.locator("h1")).to_have_text("Quién prepara esto")
        page.fill("#patient-name", "Sam Lee")
        page.click("button.button[value='next']")
        page.fill("#meds-0-name", "Klonopin")
        page.fill("#meds-0-dose_mg", "½")
        page.click("button[value='language-en']")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text("Medicines")
        expect(page.locator("#meds-0-name")).to_have_value("Klonopin")
        expect(page.locator("#meds-0-dose_mg")).to_have_value("½")
        page.reload()
        expect(page.locator("h1")).to_have_text("Medicines")
        page.click("button[value='language-es']")
        expect(page.locator("h1")).to_have_text("Medicamentos")
        expect(page.locator("#meds-0-name")).to_have_value("Klonopin")
        page.click("button[value='back']")
        expect(page.locator("h1")).to_have_text("Quién prepara esto")
        expect(page.locator("#patient-name")).to_have_value("Sam Lee")


def history(page: Page, move: str) -> None:
    """Back, Forward or Reload, asserting the browser asked for the page with GET (a POST would be a resubmission)."""
    methods: list[str] = []

    def note(request: Any) -> None:
        if request.is_navigation_request():
            methods.append(request.method)

    page.on("request", note)
    {"back": page.go_back, "forward": page.go_forward, "reload": page.reload}[move]()
    page.remove_listener("request", note)
    assert "POST" not in methods and "chrome-error" not in page.url, (move, methods, page.url)


def _shown(page: Page, *selectors: str) -> list[bool]:
    return [page.locator(selector).is_visible() for selector in selectors]


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_patient_with_morning_and_bedtime_doses_sees_them_in_the_taper(
    browser: Browser, live_server: LiveServer, js: bool
) -> None:
    """Alprazolam 0.5 mg in the morning and 1 mg at bedtime: the switches reveal without a script, what they hide is
    kept, check your answers reads the split back, and the draft taper's "How to make it" names each time of day."""
    with _context(browser, java_script_enabled=js) as context:
        page = context.new_page()
        page.goto(live_server.url + "/prepare")
        page.check("#prepared_by")
        page.select_option("#options-country", "GB")  # UK tablets make this taper's steps
        page.click("button.button[value='next']")
        page.fill("#meds-0-name", "alprazolam")
        page.fill("#meds-0-dose_mg", "2")
        assert _shown(page, "#meds-0-dose_mg", "#meds-0-dose_morning", "#meds-0-days_per_week") == [True, False, False]
        page.check("#meds-0-split")
        assert _shown(
            page, "#meds-0-dose_mg", "#meds-0-times_per_day", "#meds-0-dose_morning", "#meds-0-dose_other"
        ) == [
            False,
            False,
            True,
            True,
        ]
        page.fill("#meds-0-dose_morning", "0.5 mg")
        page.fill("#meds-0-dose_bedtime", "1")
        page.check("#meds-0-as_needed")
        page.fill("#meds-0-days_per_week", "3")
        page.uncheck("#meds-0-as_needed")  # changed their mind: the box hides and keeps its "3"
        assert _shown(page, "#meds-0-days_per_week") == [False]
        page.fill("#meds-0-taking_since", "2019")
        page.click("button.button[value='next']")
        expect(page.locator("h1")).to_have_text(STEP_TITLES[2])
        for _ in range(2):
            page.click("button.button[value='next']")
        page.check("#goals-outcome")  # "To stop completely"
        page.check("#goals-pace-as_guidelines")
        page.check("#options-include_taper_draft")
        page.click("button[value='goto-check']")
        main = page.locator("main")
        expect(main).to_contain_text("alprazolam: Morning 0.5 mg, bedtime 1 mg, since 2019")
        expect(main).not_to_contain_text("as needed")
        page.click("a[href$='#meds-0-name']")
        expect(page.locator("h1")).to_have_text(STEP_TITLES[1])
        for selector, value in (
            ("#meds-0-dose_mg", "2"),
            ("#meds-0-days_per_week", "3"),
            ("#meds-0-dose_bedtime", "1"),
        ):
            assert page.input_value(selector) == value, selector  # through every page's ?a= and back
        page.click("button.button[value='next']")
        expect(page.locator("h1")).to_have_text("Check your answers")
        continue_to_preview(page)
        expect(page.frame_locator("iframe.packet-frame").locator("body")).to_contain_text("Bedtime:")
        text = text_of(download_pdf(page)[1])
        assert "0.5 mg morning, 1 mg bedtime" in text and "Morning:" in text and "Bedtime:" in text


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_back_forward_and_reload_never_resubmit_or_lose_a_correction(
    browser: Browser, live_server: LiveServer, js: bool
) -> None:
    with _context(browser, java_script_enabled=js) as context:
        page = context.new_page()
        page.goto(live_server.url + "/prepare")
        page.check("#prepared_by")
        page.click("button.button[value='next']")
        page.fill("#meds-0-name", "Xanax")
        page.fill("#meds-0-dose_mg", "half a milligram")
        page.fill("#meds-0-times_per_day", "3")
        page.fill("#meds-0-taking_since", "2020")
        page.press("#meds-0-name", "Enter")  # Enter means Continue
        expect(page.locator(".error-summary")).to_contain_text("Enter the dose as a number")
        assert "/prepare/medicines" in page.url and "check=1" in page.url
        assert page.input_value("#meds-0-dose_mg") == "half a milligram"
        history(page, "reload")
        expect(page.locator(".error-summary")).to_be_visible()
        page.fill("#meds-0-dose_mg", "0.5")
        if js:
            history(page, "reload")  # typed, not yet sent: the browser draft keeps it
            assert page.input_value("#meds-0-dose_mg") == "0.5"
        page.click("button.button[value='next']")
        expect(page.locator("h1")).to_have_text(STEP_TITLES[2])
        page.click("button:has-text('Check your answers')")
        continue_to_preview(page)
        history(page, "back")
        assert page.url.split("?")[0].endswith("/prepare/check")
        expect(page.locator("main")).to_contain_text("Xanax: 0.5 mg, 3 times a day")
        history(page, "back")
        expect(page.locator("h1")).to_have_text(STEP_TITLES[2])
        history(page, "back")  # the error page, as it was seen
        assert "/prepare/medicines" in page.url and "check=1" in page.url
        expect(page.locator(".error-summary")).to_be_visible()
        if js:
            assert page.input_value("#meds-0-dose_mg") == "0.5", "the newer draft wins over an older page"
        history(page, "forward")
        expect(page.locator("h1")).to_have_text(STEP_TITLES[2])
        history(page, "forward")
        history(page, "forward")
        expect(page.locator("h1")).to_have_text("Check your packet")
        history(page, "reload")
        expect(page.locator("h1")).to_have_text("Check your packet")
        assert "/prepare/preview" in page.url


def test_the_draft_only_moves_forward_and_forget_asks_then_offers_undo(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare")
    page.check("#prepared_by")
    page.fill("#patient-name", "Sam Lee")
    page.click("button.button[value='next']")
    page.fill("#meds-0-name", "Xanax")
    old_about = page.url
    page.goto(old_about.replace("/medicines", "/about"))  # an older page, as from history
    assert page.input_value("#patient-name") == "Sam Lee"
    page.click("button.button[value='next']")
    assert page.input_value("#meds-0-name") == "Xanax", "the older page did not overwrite the newer draft"
    page.click("[data-forget-draft]")
    expect(page.locator("[data-forget-confirm]")).to_be_visible()
    page.click("[data-forget-no]")
    assert page.input_value("#meds-0-name") == "Xanax"
    page.click("[data-forget-draft]")
    with page.expect_navigation():
        page.click("[data-forget-yes]")
    expect(page.locator("[data-undo-forget]")).to_be_visible()
    assert page.input_value("#patient-name") == ""
    with page.expect_navigation():
        page.click("[data-undo-forget]")
    assert page.input_value("#patient-name") == "Sam Lee"


def test_javascript_adds_and_removes_rows_in_place(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare/medicines")
    page.fill("#meds-0-name", "Xanax")
    page.click("text=Add another medicine")
    expect(page.locator("#meds-1-name")).to_be_focused()
    page.fill("#meds-1-name", "Ambien")
    page.check("#meds-1-split")  # a row made by the script reveals like the server's
    expect(page.locator("#meds-1-dose_bedtime")).to_be_visible()
    page.fill("#meds-1-dose_bedtime", "5")
    page.click("button:has-text('Remove medicine 1')")
    assert page.input_value("#meds-0-dose_bedtime") == "5" and page.is_checked("#meds-0-split")
    assert page.input_value("#meds-0-name") == "Ambien"
    assert page.locator("#meds-1-name").count() == 0
    expect(page.locator("[data-row='meds'] > legend")).to_have_text("Medicine 1")
    page.fill("#reason_prescribed", "abc")
    expect(page.locator("#reason_prescribed-info")).to_contain_text("characters remaining")


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_follow_up_visit_is_typed_in_and_page_1_compares_it_with_the_plan(
    browser: Browser, live_server: LiveServer, js: bool
) -> None:
    """The "Since your last visit" step with and without JavaScript: rows added, values read, page 1 of the PDF."""
    with _context(browser, java_script_enabled=js) as context:
        page = context.new_page()
        page.goto(live_server.url + "/prepare/medicines")
        page.fill("#meds-0-name", "Ativan")
        page.fill("#meds-0-dose_mg", "1")
        page.fill("#meds-0-times_per_day", "2")
        page.fill("#meds-0-taking_since", "2017")
        page.click("text=Since your last visit")
        expect(page.locator("h1")).to_have_text("Since your last visit")
        page.check("#visit-follow_up-yes")
        expect(page.locator("#agreed-date")).to_be_visible()
        page.fill("#agreed-date", "1 October 2026")
        page.check("#agreed-decision-reduce")
        page.click("text=Add an agreed step")
        page.fill("#plan-0-daily_mg", "1.5")
        page.fill("#plan-0-from", "15 October 2026")
        page.click("text=Add a step taken")
        if js:
            expect(page.locator("#progress-0-date")).to_be_focused()
        page.fill("#progress-0-date", "15 October 2026")
        page.fill("#progress-0-daily_mg", "1¾")
        page.fill("#progress-0-how_it_went", "2")
        page.click("button.button[value='next']")
        page.click("button.button[value='next']")
        expect(page.locator("main")).to_contain_text("Step taken 1")
        continue_to_preview(page)
        first = pdf_pages(download_pdf(page)[1])[0]
        assert "Last agreed step: 1.5 mg a day of Ativan from 15 Oct 2026 (step 1 of 1)" in first
        assert "Taking now: 1.75 mg a day of Ativan, since 15 Oct 2026" in first


def test_a_half_done_form_is_saved_and_reopened(page: Page, browser: Browser, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare")
    page.check("#prepared_by")
    page.fill("#patient-name", "Sam Lee")
    page.click("button.button[value='next']")
    page.fill("#meds-0-name", "Xanax")
    before = page.evaluate(FORM_VALUES)
    with page.expect_download() as info:
        page.click("text=Save my answers as a file")
    saved = Path(info.value.path()).read_bytes()
    assert json.loads(saved)["format"] == "taperprep-unfinished-answers"
    with _context(browser) as fresh:
        other = fresh.new_page()
        other.goto(live_server.url + "/prepare")
        other.click("summary:has-text('Open saved answers')")
        open_saved_file(other, "answers.json", "application/json", saved)
        expect(other.locator(".notice")).to_contain_text("We opened your saved answers")
        assert other.input_value("#patient-name") == "Sam Lee"
        other.click("button.button[value='next']")
        assert other.evaluate(FORM_VALUES) == before


def test_a_downloaded_pdf_reopens_the_form(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare")
    patient_path(Script(page, js=True))
    _, pdf = download_pdf(page)
    page.goto(live_server.url + "/")
    open_saved_file(page, "packet.pdf", "application/pdf", pdf)
    expect(page.locator(".notice")).to_contain_text("We opened your saved answers")
    assert page.input_value("#patient-name") == "Sam Lee"
    page.click("button.button[value='next']")
    assert page.input_value("#meds-1-name") == "Ambien"


def test_a_wrong_file_gets_a_message_and_the_form_is_untouched(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare")
    page.fill("#patient-name", "Keep this")
    page.click("summary:has-text('Open saved answers')")
    open_saved_file(page, "cat.png", "image/png", b"\x89PNG nope")
    expect(page.locator(".error-summary")).to_contain_text("This file is not a taperprep answers file")
    assert page.input_value("#patient-name") == "Keep this"
    big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    open_saved_file(page, "big.json", "application/json", big)
    expect(page.locator("#saved_file-size")).to_contain_text("The file is bigger than 2 MB")  # refused before sending
    expect(page.locator("#saved_file")).to_be_focused()
    assert page.input_value("#patient-name") == "Keep this"


def _tab_to(page: Page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            shadow = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
            assert outline != "none" or shadow != "none", f"{selector} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    _tab_to(page, "a.button--start")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(STEP_TITLES[0])
    _tab_to(page, "#prepared_by")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#prepared_by-caregiver")).to_be_checked()
    for selector, words in (("#caregiver-name", "Ana Ruiz"), ("#caregiver-relationship", "friend")):
        _tab_to(page, selector)
        page.keyboard.type(words)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(STEP_TITLES[1])
    for selector, words in (
        ("#meds-0-name", "Valium"),
        ("#meds-0-dose_mg", "5"),
        ("#meds-0-times_per_day", "1"),
        ("#meds-0-taking_since", "2015"),
    ):
        _tab_to(page, selector)
        page.keyboard.type(words)
    _tab_to(page, "button.button[value='next']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(STEP_TITLES[2])
    _tab_to(page, "button[value='goto-check']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Check your answers")
    _tab_to(page, "button[value='check']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name("Check your packet")
    _tab_to(page, "button[value='download-personal']")  # the booklet, in the caregiver's voice
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    text = text_of(Path(info.value.path()).read_bytes())
    assert "My friend" in text and "Valium" in text


SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    "button, .button, input:not([type=hidden]), select, summary, .choice__label, .back-link"))
  .filter(e => !e.closest(".default-action, template") && e.offsetParent !== null)
  .filter(e => e.getBoundingClientRect().height < 44 && !(e.type === "checkbox" || e.type === "radio")
               && !e.classList.contains("choice__label"))
  .map(e => e.outerHTML.slice(0, 80))"""


def _axe(target: Any) -> list[dict[str, Any]]:
    target.add_script_tag(path=str(AXE))
    violations = target.evaluate("""async () => (await axe.run(document, {iframes: false, resultTypes: ["violations"]}))
        .violations.map(v => ({id: v.id, impact: v.impact,
                                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))""")
    return [v for v in violations if v["impact"] in {"serious", "critical"}]


def _pages(page: Page, url: str, lang: str = "en") -> Iterator[str]:
    """Visits every step (with an error and with the caregiver's questions shown), check your answers and the
    preview, in `lang` (chosen with the start page's switch), yielding each one's name once it is showing."""
    page.goto(url + f"/?lang={lang}")
    yield "start"
    page.goto(url + f"/prepare?for=caregiver&lang={lang}")
    yield "step-1-caregiver"
    page.fill("#caregiver-name", "Linda")
    page.fill("#caregiver-relationship", "mother")
    page.click("button.button[value='next']")
    yield "step-2"
    page.check("#meds-0-split")
    page.check("#meds-0-as_needed")
    yield "step-2-reveals-shown"
    page.fill("#meds-0-name", "alprazolm")
    page.fill("#meds-0-dose_morning", "half")
    page.fill("#meds-0-days_per_week", "9")
    page.click("button.button[value='next']")
    expect(page.locator(".error-summary")).to_be_visible()
    yield "step-2-errors"
    for field in ("meds-0-dose_morning", "meds-0-days_per_week"):  # each error links to the box it is beside
        page.click(f".error-summary a[href='#{field}']")
        expect(page.locator(f"#{field}")).to_be_in_viewport()
        expect(page.locator(f"#{field}-error")).to_be_visible()
    page.check("#meds-0-keep_name")
    page.fill("#meds-0-dose_morning", "0,5")
    page.fill("#meds-0-days_per_week", "5")
    page.fill("#meds-0-taking_since", "2020")
    page.click("button.button[value='next']")
    page.click("button[value='add-attempt']")
    yield "step-3"
    page.fill("#attempts-0-when", "2021")
    page.select_option("#attempts-0-method", "hospital_stay")
    for number in (4, 5, 6):
        page.click("button.button[value='next']")
        expect(page.locator("h1")).to_have_text(words(lang, STEP_TITLES[number - 1]))
        yield f"step-{number}"
    page.check("#visit-follow_up-yes")
    page.click("button[value='add-progress-step']")
    yield "step-6-plan-shown"
    page.click("button.button[value='next']")
    yield "step-7"
    page.check("#resources-mode-choose")
    yield "step-7-sources-shown"
    page.click("button.button[value='next']")
    yield "check-your-answers"
    continue_to_preview(page, lang)
    page.wait_for_function("() => document.querySelector('iframe').contentDocument.readyState === 'complete'")
    yield "preview"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_axe_finds_nothing_serious_and_screenshots_are_kept(
    browser: Browser, live_server: LiveServer, device: str, viewport: dict[str, int], lang: str
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    with _context(browser, bypass_csp=True) as context:
        page = context.new_page()
        page.set_viewport_size(viewport)
        problems: dict[str, list[dict[str, Any]]] = {}
        for name in _pages(page, live_server.url, lang):
            assert page.evaluate("() => document.documentElement.lang") == lang, name
            suffix = "" if lang == "en" else f"-{lang}"
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{device}{suffix}.png"), full_page=True)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"], f"{name} overflows"
            assert page.evaluate(SMALL_TARGETS) == [], name
            if name.startswith("step") and not name.endswith("shown"):
                assert page.evaluate(SHOWN_CONTROLS) <= 15, name  # before reveals
            if name == "step-2":
                assert page.evaluate(SHOWN_CONTROLS) == 8  # a medicine's 7 (switches included) and why prescribed
            if found := _axe(page):
                problems[name] = found
            if name == "preview" and (found := _axe(page.frames[1])):
                problems["preview-packet"] = found
        assert problems == {}


def test_a_body_over_the_limit_without_javascript_loses_no_answers(no_js_page: Page, live_server: LiveServer) -> None:
    """413 comes before anything reads the body, so the server cannot send the answers back: its page says to go
    back, and going back shows the form as the person left it."""
    page = no_js_page
    page.goto(live_server.url + "/prepare")
    page.fill("#patient-name", "Sam Lee")
    page.fill("#patient-pronouns", "Keep every word")
    page.click("summary:has-text('Open saved answers')")
    huge = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    open_saved_file(page, "big.json", "application/json", huge)
    expect(page.locator("body")).to_contain_text("answers are still in the form")
    page.go_back()
    expect(page.locator("#patient-pronouns")).to_have_value("Keep every word")
    expect(page.locator("#patient-name")).to_have_value("Sam Lee")
