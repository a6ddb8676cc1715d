"""The shipped resource packs: they load, carry the excerpts the packet relies on, and respect each source's licence."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from app.library.check import RULES
from app.library.content import load_content
from app.library.packs import Excerpt, LicenceKind, Pack, PackLibrary, pack_in
from app.library.tag_names import TAGS
from app.library.translations import speaking, translations
from app.settings import ROOT
from app.story import Language

# Verbatim from ../shared/content/sources.md §1 (FDA Drug Safety Communication, 23 Sep 2020).
FDA_DEPENDENCE = (
    "Physical dependence can occur when benzodiazepines are taken steadily for several days to weeks, "
    "even as prescribed."
)
FDA_WITHDRAWAL = (
    "Stopping them abruptly or reducing the dosage too quickly can result in withdrawal reactions, "
    "including seizures, which can be life-threatening."
)

LICENCES = {
    "fda-2020": LicenceKind.public_domain,
    "fda-label": LicenceKind.public_domain,
    "asam-2025": LicenceKind.all_rights_reserved,
    "who-2023": LicenceKind.open,
    "ashton-2002": LicenceKind.all_rights_reserved,
    "ashton-1994": LicenceKind.all_rights_reserved,
    "ags-beers-2023": LicenceKind.all_rights_reserved,
    "maudsley-2024": LicenceKind.all_rights_reserved,
    "bind-ritvo-2023": LicenceKind.all_rights_reserved,
    "survey-finlayson-2022": LicenceKind.all_rights_reserved,
    "bic-informed-consent": LicenceKind.all_rights_reserved,
}


def test_every_shipped_pack_is_known_with_its_licence(library: PackLibrary) -> None:
    assert {p.id: p.licence_kind for p in library.packs} == LICENCES


def test_packs_come_in_their_order(library: PackLibrary) -> None:
    assert [p.id for p in library.packs][:3] == ["fda-2020", "fda-label", "asam-2025"]
    assert library.packs[3].id == "who-2023"


@pytest.mark.parametrize(
    ("excerpt_id", "text"), [("fda-2020-dependence", FDA_DEPENDENCE), ("fda-2020-withdrawal", FDA_WITHDRAWAL)]
)
def test_fda_quotations_match_sources_exactly(library: PackLibrary, excerpt_id: str, text: str) -> None:
    found = library.excerpt(excerpt_id)
    assert found.excerpt.text == text
    assert found.excerpt.kind == "quote"
    assert found.excerpt.tags == ["always"]
    assert found.excerpt.locator == 'Section "What safety concern is FDA announcing?"'
    assert found.pack.licence_kind is LicenceKind.public_domain


def test_quotations_only_where_the_source_is_public_domain(library: PackLibrary) -> None:
    for pack in library.packs:
        if pack.licence_kind is not LicenceKind.public_domain:
            assert all(e.kind == "paraphrase" for e in pack.excerpts), pack.id


def test_asam_pace_excerpt(library: PackLibrary) -> None:
    rec6 = library.excerpt("asam-2025-rec-6").excerpt
    assert "Rec. 6" in rec6.title and rec6.locator.startswith("Rec. 6 (CC-S); pocket guide p. 8")
    assert "5–10%" in rec6.text and "2–4 weeks" in rec6.text and "25% every 2 weeks" in rec6.text
    assert rec6.tags == ["always"]


@pytest.mark.parametrize("number", ["2", "4", "5", "6", "7", "8", "9", "10", "11", "27"])
def test_asam_recommendations_carry_their_number(library: PackLibrary, number: str) -> None:
    asam = next(p for p in library.packs if p.id == "asam-2025")
    assert any(re.search(rf"\bRec\. {number}(?:[a-c]|–[a-c])?\b", e.locator) for e in asam.excerpts)


def test_asam_rec_11_states_only_its_confirmed_first_part(library: PackLibrary) -> None:
    rec11 = library.excerpt("asam-2025-rec-11").excerpt
    assert "first part" in rec11.locator and "first consider pausing or slowing" in rec11.text


def test_who_anxiety_excerpt_names_its_secondary_source(library: PackLibrary) -> None:
    who = library.excerpt("who-2023-anxiety")
    assert "as reported by BIC" in who.excerpt.locator and who.excerpt.tags == ["anxiety_or_panic"]
    assert who.excerpt.seen == "secondary" and "We have not checked this" in who.excerpt.text
    assert "CC BY-NC-SA 3.0 IGO" in who.pack.licence and "CC BY-NC-SA 3.0 IGO" in (who.pack.credit or "")


def test_secondary_sources_are_named_where_the_primary_was_not_seen(library: PackLibrary) -> None:
    for excerpt_id in ["ags-beers-2023-sedatives", "ashton-2002-z-drugs", "fda-2020-individual-plan"]:
        excerpt = library.excerpt(excerpt_id).excerpt
        assert "as reproduced by" in excerpt.locator.casefold()


def test_survey_figures_carry_their_caveat(library: PackLibrary) -> None:
    for pack in library.packs:
        if pack.id.startswith(("bind-", "survey-")):
            assert "not everyone" in pack.attribution
            assert all("support groups" in e.text or "chose" in e.text for e in pack.excerpts)


def test_ashton_pack_states_figures_only_with_their_source(library: PackLibrary) -> None:
    equivalents = library.excerpt("ashton-2002-equivalents").excerpt
    assert "Table 7" in equivalents.locator and "VA/DoD 2021" in equivalents.text


def test_every_pack_names_source_access_date_and_attribution(library: PackLibrary) -> None:
    for pack in library.packs:
        assert pack.url.startswith("https://") and pack.accessed.isoformat() in {"2026-11-24", "2026-12-02"}
        assert pack.licence and pack.attribution and pack.short


def test_every_excerpt_the_content_cites_exists(library: PackLibrary) -> None:
    known = {e.id for p in library.packs for e in p.excerpts}
    assert load_content().cited() <= known, sorted(load_content().cited() - known)


def test_pack_authors_guide_documents_every_tag_and_rule() -> None:
    guide = (ROOT / "resource_packs" / "README.md").read_text(encoding="utf-8")
    for name in [*TAGS, *RULES]:
        assert f"| `{name}` |" in guide, name


SPANISH_MARK = "Traducción de taperprep: "


def test_every_excerpt_of_every_pack_has_spanish_words(library: PackLibrary) -> None:
    """A paraphrase is translated itself; a quotation keeps the source's words and gains a marked translation."""
    for english, spanish in zip(library.packs_in(Language.en), library.packs_in(Language.es), strict=True):
        for before, after in zip(english.excerpts, spanish.excerpts, strict=True):
            assert after.title != before.title and after.locator != before.locator, after.id
            if before.kind == "quote":
                assert after.text == before.text, after.id
                assert after.translation and after.translation.startswith(SPANISH_MARK), after.id
                assert after.translation.removeprefix(SPANISH_MARK) != before.text, after.id
            else:
                assert after.text != before.text and after.translation is None, after.id
        assert spanish.plain != english.plain, spanish.id


def test_spanish_packs_keep_ids_tags_and_everything_that_is_not_words(library: PackLibrary) -> None:
    for english, spanish in zip(library.packs_in(Language.en), library.packs_in(Language.es), strict=True):
        kept = {"title", "short", "publisher", "date", "url", "accessed", "licence", "licence_kind", "attribution"}
        assert spanish.model_dump(include=kept | {"order", "kind"}) == english.model_dump(
            include=kept | {"order", "kind"}
        )
        not_words = {"id", "kind", "tags", "audience", "seen"}
        assert [e.model_dump(include=not_words) for e in spanish.excerpts] == [
            e.model_dump(include=not_words) for e in english.excerpts
        ]


def test_spanish_locators_point_to_the_same_places(library: PackLibrary) -> None:
    with speaking(Language.es):
        rec6 = library.excerpt("asam-2025-rec-6").excerpt
        fda = library.excerpt("fda-2020-withdrawal").excerpt
        table7 = library.excerpt("ashton-2002-equivalents").excerpt
    assert rec6.locator.startswith("Recomendación 6 (CC-S); guía de bolsillo, pág. 8")
    assert rec6.title.startswith("Recomendación 6:") and "5 al 10%" in rec6.text and "25% cada 2 semanas" in rec6.text
    assert fda.locator == 'Sección "What safety concern is FDA announcing?"'
    assert "Tabla 7" in table7.locator and "pág. 19" in table7.locator


def test_a_spanish_citation_carries_the_quotation_and_its_translation(library: PackLibrary) -> None:
    with speaking(Language.es):
        cited = library.cite("fda-2020-withdrawal")
        paraphrase = library.cite("asam-2025-rec-2")
    assert cited is not None and cited.quote and cited.text == FDA_WITHDRAWAL
    assert cited.translation == (
        SPANISH_MARK + "Dejarlas de golpe o bajar la dosis demasiado rápido puede causar reacciones de abstinencia, "
        "incluso convulsiones, que pueden poner la vida en peligro."
    )
    assert paraphrase is not None and paraphrase.translation is None and paraphrase.text.startswith("Evitar")
    english = library.cite("fda-2020-withdrawal")
    assert english is not None and english.translation is None


def test_the_library_reads_in_the_language_being_spoken(library: PackLibrary) -> None:
    assert library.packs is library.packs_in(Language.en)
    english = [s.excerpt.id for s in library.select({"older_adult"})]
    with speaking(Language.es):
        assert library.packs is library.packs_in(Language.es)
        spanish = [s.excerpt.id for s in library.select({"older_adult"})]
        assert library.excerpt("asam-2025-rec-27").excerpt.title == "Recomendación 27: personas de 65 años o más"
    assert spanish == english


def test_who_credit_in_spanish_gives_whos_translation_notice(library: PackLibrary) -> None:
    """CC BY-NC-SA 3.0 IGO: WHO's licence line, and that the translation is not WHO's, with the English original
    binding."""
    who = next(p for p in library.packs_in(Language.es) if p.id == "who-2023")
    assert who.credit is not None and who.credit.startswith(
        "© Organización Mundial de la Salud 2023, CC BY-NC-SA 3.0 IGO."
    )
    assert "no es obra de la Organización Mundial de la Salud (OMS)" in who.credit
    assert "La OMS no se hace responsable del contenido ni de la exactitud" in who.credit
    assert "La edición original en inglés será el texto auténtico y vinculante." in who.credit


def test_an_organisations_own_pack_stays_as_written() -> None:
    """Organisations' packs (another folder) have no catalog: their words, quotations included, stay English."""
    pack = Pack.model_validate(
        {
            "id": "our-clinic",
            "title": "Our clinic's leaflet",
            "short": "Our clinic",
            "publisher": "Our clinic",
            "date": "2026",
            "url": "https://example.org/leaflet",
            "accessed": "2026-12-01",
            "licence": "Public domain",
            "licence_kind": "public_domain",
            "attribution": "Our clinic",
            "plain": "our clinic's leaflet",
            "excerpts": [
                {
                    "id": "our-clinic-a",
                    "title": "Go slowly",
                    "kind": "quote",
                    "text": "Go slowly.",
                    "locator": "p. 1",
                    "tags": ["always"],
                },
            ],
        }
    )
    spanish = pack_in(pack, translations(Language.es).gettext)
    assert spanish == pack and spanish.excerpts[0].translation is None


def test_only_a_quotation_carries_a_translation_beside_it() -> None:
    with pytest.raises(ValidationError, match="only a quotation"):
        Excerpt.model_validate(
            {
                "id": "x-a",
                "title": "T",
                "text": "Words.",
                "locator": "p. 1",
                "tags": ["always"],
                "translation": "Palabras.",
            }
        )
