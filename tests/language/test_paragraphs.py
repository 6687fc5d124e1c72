"""Paragraph languages from one identification of the document: which paragraphs are asked on their own, and the
language step leaving what extraction identified."""

from __future__ import annotations

import pytest

from newsfold.extract import extract
from newsfold.extract.dispatch import QuickIdentify
from newsfold.language import LanguageStep
from newsfold.language.identify import (
    DOCUMENT_SURE,
    DocumentLanguage,
    Identifier,
    label_article,
    label_paragraphs,
)
from newsfold.model import Article, Origin, Paragraph, RawInput

ENGLISH = "U.S. officials say recent airstrikes against militias in Iraq have angered important allies of Washington."
GERMAN = "Die Pressemitteilung wurde am Mittwoch von der Firma in Berlin veröffentlicht, sagte ein Sprecher."
SHORT = "Read more about it"
RUSSIAN = "Правительство объявило в понедельник о новых мерах по борьбе с инфляцией."
MADE_UP = "Kavikari onkatoon katoonges belto luqu"


class Asked:
    """An identify callable that records what it was asked and answers from a table."""

    def __init__(self, answers: dict[str, str | None]) -> None:
        """Answer each text's start from answers (None for any other)."""
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, text: str) -> str | None:
        """The table's answer for text."""
        self.asked.append(text)
        return next((v for k, v in self.answers.items() if k.startswith(text)), None)


@pytest.fixture(scope="module")
def identifier() -> Identifier:
    """One identifier for the module."""
    return Identifier()


def _paragraphs(*texts: str) -> list[Paragraph]:
    """Paragraphs of these texts, languages unknown."""
    return [Paragraph(t) for t in texts]


def test_a_sure_document_names_its_scripts_paragraphs_unasked() -> None:
    """The model sure of the document: its script's paragraphs take its language, another script's are asked."""
    asked = Asked({RUSSIAN: "ru"})
    paragraphs = _paragraphs(ENGLISH, GERMAN, SHORT, RUSSIAN)
    label_paragraphs(paragraphs, asked, DocumentLanguage("en", "LATIN", sure=True))
    assert [p.language for p in paragraphs] == ["en", "en", "en", "ru"]
    assert len(asked.asked) == 1


def test_an_unsure_document_asks_only_its_long_paragraphs() -> None:
    """The model unsure of the document: long paragraphs are asked, short ones take the document's language, and a
    long one the model is unsure of too takes it as well."""
    unsure = "Kavikari onkatoon katoonges belto luqu beldorneon belarlulu tisvi menkaar dorne salbel gestopra."
    asked = Asked({ENGLISH: "en", GERMAN: "de"})
    paragraphs = _paragraphs(ENGLISH, GERMAN, SHORT, unsure)
    label_paragraphs(paragraphs, asked, DocumentLanguage("en", "LATIN", sure=False))
    assert [p.language for p in paragraphs] == ["en", "de", "en", "en"]
    assert len(asked.asked) == 3  # not the short one


def test_without_a_document_language_paragraphs_are_asked_or_named_by_script() -> None:
    """No language for the document: paragraphs long enough are asked, short ones get their script's language."""
    asked = Asked({ENGLISH: "en"})
    paragraphs = _paragraphs(ENGLISH, SHORT, "ニュース")
    label_paragraphs(paragraphs, asked, DocumentLanguage(None, "LATIN", sure=False))
    assert [p.language for p in paragraphs] == ["en", None, "ja"]
    assert asked.asked == [ENGLISH[:150]]


def test_document_is_one_call_giving_the_identifiers_answer(identifier: Identifier) -> None:
    """Identifier.document answers as the identifier does (sure or not), from one call of the model."""
    texts = [ENGLISH, GERMAN, SHORT, RUSSIAN, "ニュースです", MADE_UP, "1234", ENGLISH + " " + GERMAN]
    for text in texts:
        found = identifier.document(text)
        best = identifier.candidates(text, k=1)
        assert found.sure == (bool(best) and best[0][1] >= DOCUMENT_SURE and found.script is not None), text
        assert found.language == (best[0][0] if found.sure else identifier(text)), text


def test_label_article_marks_it_and_names_it_from_its_paragraphs() -> None:
    """An article without a language takes its paragraphs' majority, and is marked as identified."""
    article = Article(origin=Origin("t"), paragraphs=_paragraphs(ENGLISH, SHORT))
    label_article(article, Asked({ENGLISH: "en"}), None)
    assert article.language == "en"
    assert article.languages_identified


class Refusing(Identifier):
    """An identifier that fails when asked anything."""

    def candidates(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """Never answers: the step must not ask."""
        raise AssertionError(f"asked again: {text[:40]!r}")


def test_the_step_does_not_ask_again_what_extraction_identified() -> None:
    """A page the model is unsure of (made-up words, paragraphs left unknown): the language step asks nothing."""
    words = "Kavikari onkatoon katoonges belto luqu beldorneon belarlulu tisvi menkaar dorne salbel gesto prane"
    body = "".join(f"<p>{words} {i}, Salto Dorvi said.</p>" for i in range(6))
    head = "<html lang='en'><head><title>Salto</title></head>"
    page = f"{head}<body><article><h1>Salto</h1>{body}</article></body></html>"
    documents = extract(RawInput(Origin("page.html"), page.encode(), "text/html"))
    assert documents[0].languages_identified
    before = [(d.language, [p.language for p in d.paragraphs]) for d in documents]
    assert before == [("en", [None] * 6)]  # the page's own language; the model unsure of every paragraph
    after = list(LanguageStep(Refusing())(documents))
    assert [(d.language, [p.language for p in d.paragraphs]) for d in after] == before


class Counting(Identifier):
    """An identifier that counts the model's calls."""

    def __init__(self) -> None:
        """Load the model; no calls yet."""
        super().__init__()
        self.calls = 0

    def candidates(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The model's answer, counted."""
        self.calls += 1
        return super().candidates(text, k)


def test_a_paragraph_is_put_to_the_model_once(identifier: Identifier) -> None:
    """Extraction's paragraph identification answers as the model-then-identifier path did, with one model call."""
    counting = Counting()
    quick = QuickIdentify(counting)
    for text in [ENGLISH, GERMAN, SHORT, RUSSIAN, "ニュースです", MADE_UP, MADE_UP * 3, "1234", "Salto Dorvi"]:
        best = identifier.candidates(text, k=1)
        expected = best[0][0] if best and best[0][1] >= identifier.min_confidence else identifier(text)
        assert identifier.given(text, best) == identifier(text), text
        counting.calls = 0
        assert quick(text) == expected, text
        assert counting.calls == 1, text
