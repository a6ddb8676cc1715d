"""The web form in real Chromium (Debian's package) against a real uvicorn: paths with and without JS, keyboard, axe."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from app.story import Story
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
  .filter(e => e.name && !["file", "submit", "button", "hidden"].includes(e.type)
               && (!["checkbox", "radio"].includes(e.type) || e.checked))
  .map(e => [e.name, e.value])"""


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


def fill_patient(page: Page, js: bool = True) -> None:
    page.fill("#patient-name", "Sam Lee")
    page.fill("#patient-age", "52")
    page.fill("#meds-0-name", "Klonopin")
    page.fill("#meds-0-dose_mg", "0.5")
    page.fill("#meds-0-times_per_day", "2")
    page.fill("#meds-0-taking_since", "2018")
    page.fill("#meds-0-prescribed_for", "panic attacks")
    with page.expect_navigation() if not js else _nothing():
        page.click("text=Add another medicine")
    page.fill("#meds-1-name", "Ambien")
    page.fill("#meds-1-dose_mg", "5")
    page.fill("#meds-1-times_per_day", "1")
    page.fill("#meds-1-taking_since", "2021-03")
    page.check("#symptoms")
    page.fill("#experience", "Mornings feel foggy and I worry about my memory.")
    page.fill("#why_now", "I want to drive my grandchildren safely.")
    page.check("#goals-outcome-reduce")
    page.fill("#goals-requests", "Could we make the cuts smaller?")


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def continue_to_preview(page: Page) -> None:
    page.click("button.button >> text=Continue to check the packet")
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name("Check your packet")


def download_pdf(page: Page, button: str = "For my prescriber") -> tuple[str, bytes]:
    """One of the preview's two downloads: the prescriber copy, or the booklet ("For me" / "For us")."""
    with page.expect_download() as info:
        page.click(f"button:has-text('{button}')")
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def open_saved_file(page: Page, name: str, mime: str, data: bytes) -> None:
    """Attach a file to "Open saved answers" and press the button."""
    page.set_input_files("#saved_file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.click("button:has-text('Open saved answers')")


def text_of(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def test_patient_fills_the_form_and_downloads_the_pdf(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.click("text=Start now")
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name("Tell us your story")
    fill_patient(page)
    expect(page.locator("#meds-1-name")).to_be_visible()
    continue_to_preview(page)
    frame = page.frame_locator("iframe.packet-frame")
    expect(frame.locator("body")).to_contain_text("Klonopin")
    page.evaluate(
        "() => { document.querySelector('iframe').contentWindow.print = () => { window.printedPacket = true; }; }"
    )
    page.click("[data-print]")
    assert page.evaluate("() => window.printedPacket") is True  # Print prints the packet itself, not this page
    page.click("text=Copy the message")
    expect(page.locator("[data-copy-status]")).to_contain_text("Copied")
    assert page.evaluate("() => document.getElementById('previsit-text').value").startswith("Subject: ")
    name, pdf = download_pdf(page)
    assert re.fullmatch(r"taperprep-for-the-prescriber-\d{4}-\d\d-\d\d\.pdf", name)
    text = text_of(pdf)
    for typed in ("Sam Lee", "Klonopin", "Ambien", "Mornings feel foggy", "Could we make the cuts smaller?"):
        assert typed in text


def test_caregiver_packet_speaks_in_the_caregivers_voice(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.click("text=I’m helping someone else")
    expect(page.locator("#medicines-title")).to_have_accessible_name("4. Their medicines")
    page.fill("#caregiver-name", "Ana Ruiz")
    page.fill("#caregiver-relationship", "mother")
    page.fill("#patient-name", "Rosa Ruiz")
    page.fill("#patient-pronouns", "she/her")
    page.fill("#meds-0-name", "Ativan")
    page.fill("#meds-0-dose_mg", "1")
    page.fill("#meds-0-times_per_day", "2")
    page.fill("#meds-0-taking_since", "2012")
    page.fill("#experience", "She has had two falls this year.")
    continue_to_preview(page)
    text = text_of(download_pdf(page)[1])
    assert "Ana Ruiz" in text and "She has had two falls this year." in text and "not for handing over" not in text
    booklet = text_of(download_pdf(page, "For us")[1])
    assert "My mother" in booklet and "For us — not for handing over" in booklet


def test_the_same_path_without_javascript(no_js_page: Page, live_server: LiveServer) -> None:
    page = no_js_page
    page.goto(live_server.url + "/prepare")
    expect(page.locator("[data-draft-bar]")).to_be_hidden()
    fill_patient(page, js=False)
    assert page.input_value("#patient-name") == "Sam Lee", "the round trip for a new row kept what was typed"
    page.check("#prepared_by-caregiver")
    expect(page.locator("#caregiver-name")).to_be_visible()  # CSS :has() reveals it, no script
    page.check("#prepared_by")
    continue_to_preview(page)
    expect(page.locator("[data-print-fallback]")).to_be_visible()
    text = text_of(download_pdf(page)[1])
    assert "Sam Lee" in text and "Ambien" in text and "Mornings feel foggy" in text


@pytest.mark.parametrize("js", [True, False])
def test_errors_come_back_with_summary_messages_and_values(browser: Browser, live_server: LiveServer, js: bool) -> None:
    with _context(browser, java_script_enabled=js) as context:
        page = context.new_page()
        page.goto(live_server.url + "/prepare")
        page.fill("#meds-0-name", "Xanax")
        page.fill("#meds-0-dose_mg", "half")
        page.fill("#why_now", "A fall in May")
        page.press("#meds-0-name", "Enter")  # Enter in a box means Continue, not "Remove" or "Open saved answers"
        summary = page.locator(".error-summary")
        expect(summary).to_contain_text("Enter the dose in milligrams as a number, for example 0.5")
        expect(summary).to_contain_text("Enter how many times a day, for example 2")
        assert page.title().startswith("Error:")
        if js:
            expect(summary).to_be_focused()
        expect(page.locator("#meds-0-dose_mg-error")).to_contain_text("Enter the dose in milligrams")
        assert page.input_value("#meds-0-dose_mg") == "half"
        assert page.input_value("#meds-0-name") == "Xanax"
        assert page.input_value("#why_now") == "A fall in May"
        summary.locator("a", has_text="Enter the dose").click()
        expect(page.locator("#meds-0-dose_mg")).to_be_focused()


def test_draft_survives_a_reload_and_forget_clears_it(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare")
    fill_patient(page)
    page.click("#attempts [data-add-row]")
    page.fill("#attempts-0-when", "spring 2020")
    page.select_option("#attempts-0-method", "cold_turkey")
    before = page.evaluate(FORM_VALUES)
    page.reload()
    expect(page.locator("[data-draft-status]")).to_contain_text("We brought back the draft")
    assert page.evaluate(FORM_VALUES) == before
    with page.expect_navigation():
        page.click("text=Forget this draft on this device")
    assert "Sam Lee" not in page.evaluate("() => localStorage.getItem('taperprep-draft-v1') || ''")
    page.reload()
    assert page.input_value("#patient-name") == "" and page.input_value("#experience") == ""
    assert page.locator("#meds-1-name").count() == 0


def test_javascript_adds_and_removes_rows_in_place(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare")
    page.fill("#meds-0-name", "Xanax")
    page.click("text=Add another medicine")
    expect(page.locator("#meds-1-name")).to_be_focused()
    page.fill("#meds-1-name", "Ambien")
    page.click("button:has-text('Remove medicine 1')")
    assert page.input_value("#meds-0-name") == "Ambien"
    assert page.locator("#meds-1-name").count() == 0
    expect(page.locator("[data-row='meds'] legend")).to_have_text("Medicine 1")
    page.fill("#experience", "abc")
    expect(page.locator("#experience-info")).to_have_text("You have 3997 characters remaining")


def test_export_then_import_gives_back_the_same_form(page: Page, browser: Browser, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare")
    fill_patient(page)
    before = page.evaluate(FORM_VALUES)
    with page.expect_download() as info:
        page.click("text=Save my answers as a file")
    saved = Path(info.value.path()).read_bytes()
    assert re.fullmatch(r"taperprep-answers-\d{4}-\d\d-\d\d\.json", info.value.suggested_filename)
    Story.model_validate(json.loads(saved))
    with _context(browser) as fresh:
        other = fresh.new_page()
        other.goto(live_server.url + "/prepare")
        other.click("summary:has-text('Open saved answers')")
        open_saved_file(other, "answers.json", "application/json", saved)
        expect(other.locator(".notice")).to_contain_text("We opened your saved answers")
        assert other.evaluate(FORM_VALUES) == before


def test_a_downloaded_pdf_reopens_the_form(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare?for=caregiver")
    page.fill("#caregiver-name", "Ana Ruiz")
    page.fill("#caregiver-relationship", "husband")
    fill_patient(page)
    before = page.evaluate(FORM_VALUES)
    continue_to_preview(page)
    _, pdf = download_pdf(page)
    page.goto(live_server.url + "/")
    open_saved_file(page, "packet.pdf", "application/pdf", pdf)
    expect(page.locator(".notice")).to_contain_text("We opened your saved answers")
    assert page.evaluate(FORM_VALUES) == before


def test_a_wrong_file_gets_a_message_and_the_form_is_untouched(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/prepare")
    page.fill("#why_now", "Keep this")
    page.click("summary:has-text('Open saved answers')")
    open_saved_file(page, "cat.png", "image/png", b"\x89PNG nope")
    expect(page.locator(".error-summary")).to_contain_text("This file is not a taperprep answers file")
    assert page.input_value("#why_now") == "Keep this"
    big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    open_saved_file(page, "big.json", "application/json", big)
    expect(page.locator("#saved_file-size")).to_contain_text("The file is bigger than 2 MB")  # refused before sending
    expect(page.locator("#saved_file")).to_be_focused()
    assert page.input_value("#why_now") == "Keep this"


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
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name("Tell us your story")
    _tab_to(page, "#prepared_by")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#prepared_by-caregiver")).to_be_checked()
    expect(page.locator("#medicines-title")).to_have_accessible_name("4. Their medicines")
    for selector, words in (
        ("#caregiver-name", "Ana Ruiz"),
        ("#caregiver-relationship", "friend"),
        ("#meds-0-name", "Valium"),
        ("#meds-0-dose_mg", "5"),
        ("#meds-0-times_per_day", "1"),
        ("#meds-0-taking_since", "2015"),
    ):
        _tab_to(page, selector)
        page.keyboard.type(words)
    _tab_to(page, "#symptoms")
    page.keyboard.press("Space")
    _tab_to(page, "button.button[value='preview']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name("Check your packet")
    _tab_to(page, "button[value='download']")
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


def _pages(page: Page, url: str) -> Iterator[str]:
    """Visits the four pages axe and the screenshots cover, yielding each one's name once it is showing."""
    page.goto(url + "/")
    yield "start"
    page.goto(url + "/prepare")
    yield "form-empty"
    page.fill("#meds-0-name", "Xanax")
    page.fill("#meds-0-dose_mg", "0,5")
    page.click("button.button >> text=Continue to check the packet")
    expect(page.locator(".error-summary")).to_be_visible()
    yield "form-errors"
    page.fill("#meds-0-dose_mg", "0.5")
    page.fill("#meds-0-times_per_day", "3")
    page.fill("#meds-0-taking_since", "2020")
    continue_to_preview(page)
    page.wait_for_function("() => document.querySelector('iframe').contentDocument.readyState === 'complete'")
    yield "preview"


@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_axe_finds_nothing_serious_and_screenshots_are_kept(
    browser: Browser, live_server: LiveServer, device: str, viewport: dict[str, int]
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    with _context(browser, bypass_csp=True) as context:
        page = context.new_page()
        page.set_viewport_size(viewport)
        problems: dict[str, list[dict[str, Any]]] = {}
        for name in _pages(page, live_server.url):
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{device}.png"), full_page=True)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"], f"{name} overflows"
            assert page.evaluate(SMALL_TARGETS) == [], name
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
    page.fill("#why_now", "Keep every word of this")
    page.click("summary:has-text('Open saved answers')")
    huge = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    open_saved_file(page, "big.json", "application/json", huge)
    expect(page.locator("body")).to_contain_text("answers are still in the form")
    page.go_back()
    expect(page.locator("#why_now")).to_have_value("Keep every word of this")
    expect(page.locator("#patient-name")).to_have_value("Sam Lee")
