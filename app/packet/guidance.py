"""A Story, its tags and the pack library → the "for me" guidance: scripts, questions, a pre-visit message, support."""

from __future__ import annotations

from dataclasses import dataclass

from app.library.content import Content, Line, Pair, ScriptText, load_content
from app.library.packs import Citation, PackLibrary, sources
from app.library.translations import _
from app.packet.dates import long_date
from app.packet.voice import Voice
from app.packet.words import and_list
from app.story import Country, Story

__all__ = [
    "MAX_QUESTIONS",
    "Emergency",
    "Guidance",
    "PrevisitMessage",
    "Resource",
    "Script",
    "SupportGroup",
    "emergency_for",
    "guidance_for",
]

MAX_QUESTIONS = 12


@dataclass(frozen=True)
class Script:
    title: str
    when: str
    say: list[str]
    backed_by: list[Citation]
    after: str | None = None

    @property
    def sources(self) -> str:
        return sources(self.backed_by)


@dataclass(frozen=True)
class Emergency:
    """What to do in a medical emergency, in the person's voice, with the FDA warning it rests on."""

    text: str
    backed_by: list[Citation]

    @property
    def sources(self) -> str:
        return sources(self.backed_by)


@dataclass(frozen=True)
class PrevisitMessage:
    subject: str
    body: str


@dataclass(frozen=True)
class Resource:
    name: str
    what: str
    contact: str | None
    url: str | None
    checked: str


@dataclass(frozen=True)
class SupportGroup:
    title: str
    items: list[Resource]


@dataclass(frozen=True)
class Guidance:
    scripts: list[Script]
    questions: list[str]
    previsit_message: PrevisitMessage
    small_doses: list[str]
    small_doses_note: str
    small_doses_backed_by: list[Citation]
    support: list[SupportGroup]
    emergency: Emergency

    @property
    def small_doses_sources(self) -> str:
        return sources(self.small_doses_backed_by)

    def cited_ids(self) -> list[str]:
        """Every excerpt the guidance leans on, so the references can list its source."""
        return (
            [c.excerpt_id for s in self.scripts for c in s.backed_by]
            + [c.excerpt_id for c in self.small_doses_backed_by]
            + [c.excerpt_id for c in self.emergency.backed_by]
        )


def guidance_for(
    story: Story,
    tags: set[str],
    voice: Voice,
    library: PackLibrary,
    emergency: Emergency,
    content: Content | None = None,
) -> Guidance:
    """Everything the "for me" pages say, from the tags, voice and emergency line the packet decided once;
    a cited excerpt missing from the library raises KeyError."""
    content = content or load_content()
    tags = tags | {"always"}
    return Guidance(
        scripts=[_script(s, voice, tags, library) for s in _pick_scripts(content.scripts, tags)],
        questions=_questions(content, voice, tags),
        previsit_message=_previsit(content, story, voice),
        small_doses=[w for q in content.small_doses.questions if (w := _words(q, voice))],
        small_doses_note=content.small_doses.note,
        small_doses_backed_by=library.cite_all(content.small_doses.backed_by),
        support=_support(story, voice, content),
        emergency=emergency,
    )


def emergency_for(voice: Voice, country: Country, library: PackLibrary, content: Content | None = None) -> Emergency:
    """The emergency line for the support pages and the taper's pause note; a missing excerpt raises KeyError."""
    content = content or load_content()
    words = content.emergency.say.caregiver if voice.caregiving else content.emergency.say.patient
    number = content.support[country].emergency
    return Emergency(voice.fill(words, emergency_number=number), library.cite_all(content.emergency.backed_by))


def _support(story: Story, voice: Voice, content: Content) -> list[SupportGroup]:
    """The country's lines, crisis first; help for families only in a caregiver's booklet."""
    groups = content.support[story.options.country].groups + (content.caregiver_support if voice.caregiving else [])
    return [
        SupportGroup(g.title, [Resource(r.name, r.what, r.contact, r.url, long_date(r.checked)) for r in g.items])
        for g in groups
    ]


def _words(line: Line | Pair, voice: Voice, **extra: str) -> str | None:
    """The line in this voice, or None when the line has no words for it."""
    words = line.caregiver if voice.caregiving else line.patient
    if words is None:
        return None
    return voice.fill(words, **extra)


def _pick_scripts(scripts: list[ScriptText], tags: set[str]) -> list[ScriptText]:
    """Scripts whose situation fits the story; the ones the story points at most directly come first."""
    fitting = [s for s in scripts if tags.intersection(s.when_tags)]
    return sorted(fitting, key=lambda s: not tags.intersection(s.first_tags))


def _script(text: ScriptText, voice: Voice, tags: set[str], library: PackLibrary) -> Script:
    lines = [
        _words(line, voice)
        for line in text.say
        if (not line.only_tags or tags.intersection(line.only_tags)) and not tags.intersection(line.unless_tags)
    ]
    return Script(
        title=text.title,
        when=text.when,
        say=[line for line in lines if line],
        backed_by=library.cite_all(text.backed_by),
        after=_words(text.after, voice) if text.after else None,
    )


def _questions(content: Content, voice: Voice, tags: set[str]) -> list[str]:
    """The story's own questions first in priority, `always` ones filling up to MAX_QUESTIONS, in the file's order."""
    asked = [(i, q) for i, q in enumerate(content.questions) if tags.intersection(q.tags)]
    if not voice.caregiving:
        asked = [(i, q) for i, q in asked if q.patient]
    specific = [(i, q) for i, q in asked if "always" not in q.tags]
    general = [(i, q) for i, q in asked if "always" in q.tags]
    chosen = sorted((specific + general)[:MAX_QUESTIONS], key=lambda pair: pair[0])
    return [w for _, q in chosen if (w := _words(q, voice))]


def _previsit(content: Content, story: Story, voice: Voice) -> PrevisitMessage:
    patient = story.patient.name
    relationship = voice.relationship or _("family member")
    mine = _("my {relationship}").format(relationship=relationship)
    extra = {
        "medicines": and_list(m.name for m in story.medications),
        "prescriber": story.appointment.prescriber_name or _("Doctor"),
        "patient_name": patient or mine,
        "for_whom": _("{name}, my {relationship}").format(name=patient, relationship=relationship) if patient else mine,
        "sign_off": voice.speaker_name or _("[your name]"),
    }

    def pick(pair: Pair) -> str:
        return pair.caregiver if voice.caregiving else pair.patient

    return PrevisitMessage(
        subject=voice.fill(pick(content.previsit.subject), **extra),
        body=voice.fill(pick(content.previsit.body), **extra),
    )
