"""Pick the extractor for an input by its media type; one Extractor holds the models every page shares."""

from __future__ import annotations

from newsfold.errors import InputError
from newsfold.extract.blockmodel import BlockModel
from newsfold.extract.containers import ContainerModel
from newsfold.extract.furniture import FurnitureMemory
from newsfold.extract.html import HtmlExtractor
from newsfold.extract.kindmodel import KindEvidence, KindModel
from newsfold.extract.linemodel import LineModel
from newsfold.extract.text import TextExtractor
from newsfold.ingest.decode import decode, looks_binary, looks_like_html
from newsfold.language.identify import DocumentLanguage, Identifier
from newsfold.model import Article, RawInput
from newsfold.plausible import settle_dates


class QuickIdentify:
    """Paragraph languages from the identifier's model alone (its script checks cost more than the model itself,
    and run once per document); the full identifier where the model is unsure."""

    def __init__(self, identifier: Identifier) -> None:
        """Use identifier's model."""
        self._identifier = identifier

    def __call__(self, text: str) -> str | None:
        """The language of text, or None when unsure."""
        best = self._identifier.candidates(text, k=1)
        if best and best[0][1] >= self._identifier.min_confidence:
            return best[0][0]
        return self._identifier.given(text, best)  # the model's answer is the same: not asked twice

    def sure(self, text: str) -> DocumentLanguage:
        """A whole document's language and script from one call of the model, and whether it was sure of them."""
        return self._identifier.document(text)


class Extractor:
    """Extracts documents from raw inputs; create one and reuse it (its language model loads once)."""

    def __init__(
        self,
        memory: FurnitureMemory | None = None,
        kinds: KindModel | None = None,
        containers: ContainerModel | None = None,
        lines: LineModel | None = None,
        blocks: BlockModel | None = None,
    ) -> None:
        """Load the language identifier; memory (when given) learns the lines that recur on a source's pages;
        kinds tells pages without an article, containers chooses the element that holds it, lines the article's
        lines in scraped text (default: the packaged
        models), blocks the container's blocks that are not the story."""
        identify = Identifier()
        quick = QuickIdentify(identify)
        self.memory = memory
        self.text = TextExtractor(identify, memory, quick, quick.sure, lines or LineModel.packaged())
        self._text = self.text
        self._html = HtmlExtractor(identify, self._text, quick, kinds, quick.sure, containers, blocks)

    def use_memory(self, memory: FurnitureMemory | None) -> None:
        """Learn and read recurring lines with memory from now on (None: none)."""
        self.memory = memory
        self._text.use_memory(memory)

    def __call__(self, raw: RawInput) -> list[Article]:
        """Every document found in one input (glued documents split apart); InputError if unreadable."""
        location = raw.origin.location
        if not raw.data.strip():
            raise InputError(location, "empty file")
        if looks_binary(raw.data):
            raise InputError(location, "binary file, not text or HTML")
        content = decode(raw.data, location, raw.charset)
        # a .txt file may hold a whole HTML page (saved source): it is read as HTML
        if raw.media_type == "text/html" or looks_like_html(content):
            documents = self._html.extract(content, raw)
        else:
            documents = self._text.extract(content, raw.origin, raw.url)
        return [settle_dates(document, raw.url) for document in documents]

    def read_html(self, raw: RawInput) -> tuple[Article, KindEvidence | None]:
        """An HTML page's document and the evidence its kind was decided on (for training and measuring kinds)."""
        return self._html.read(decode(raw.data, raw.origin.location, raw.charset), raw)


def extract(raw: RawInput, extractor: Extractor | None = None) -> list[Article]:
    """Every document found in one input, with a given or a new Extractor (reuse one for many inputs)."""
    return (extractor or Extractor())(raw)
