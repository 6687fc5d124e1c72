"""Finding names in text: a model-free recogniser (capitalised spans, titles, context cues) and a spaCy adapter."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from babel import Locale, UnknownLocaleError

from newsfold.enrich.bounded import remembered
from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.text import STOPWORDS, Sentence, article_sentences, words_of
from newsfold.model import Article, EntityKind
from newsfold.text.words import plain_words

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*\.?", re.UNICODE)
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,6}$|^[A-Z]{2,6}$|^[A-Z][a-z]?[A-Z]{1,4}$")
CONNECTORS = words_of("""of de del della di da van von der den du la le bin ibn y""")
PARTICLES = ("al-", "el-", "ad-", "as-", "ash-", "at-", "an-", "ar-", "az-", "bin-", "ibn-")
TITLES = words_of(
    """president prime minister secretary sen senator rep representative gen general maj major col colonel lt capt
    captain adm admiral sgt mr mrs ms dr prof professor pope king queen prince princess sheikh chancellor
    governor gov mayor judge justice ambassador commander chief spokesman spokeswoman lawmaker mp deputy vice
    chairman chairwoman ceo director pastor rabbi imam ayatollah cardinal bishop lord lady sir dame coach
    premier emir sultan speaker datuk dato tun tan sri seri"""
)
SAID = words_of("""said says told added wrote stated explained argued noted asked continued insisted warned""")
PERSON_ROLES = words_of(
    """adviser advisor official lawmaker spokesman spokeswoman commander leader fellow researcher minister
    president chief director founder head member reporter correspondent analyst professor secretary senator mp
    politician spokesperson chairman executive ceo activist author editor ambassador general officer economist
    scientist expert lawyer attorney judge singer actor actress player coach manager son daughter father mother
    wife husband brother sister resident witness student teacher doctor"""
)
ORG_ROLES = words_of(
    """group party militia company organization organisation agency firm movement coalition alliance network unit
    force brigade faction newspaper broadcaster bank university institute ministry umbrella club team union
    council committee channel outlet startup"""
)
PLACE_ROLES = words_of(
    """city town towns village country province region state capital district area base port island river border
    neighbourhood neighborhood suburb county municipality"""
)
ORG_HEADS = words_of(
    """forces force brigade brigades group party corps command administration ministry department council committee
    union organization organisation agency bureau institute university college bank company corporation inc ltd
    llc plc post times news association federation foundation house parliament congress senate court police army
    navy guard guards front movement resistance coalition alliance league network media press club church
    authority commission office service services team airlines airways fund assembly government cabinet"""
)
PLACE_HEADS = words_of(
    """city province county island islands river mountains valley strait sea ocean street square airport bay region
    district peninsula desert lake gulf coast"""
)
ORG_FIRST = words_of("university bank ministry department council institute bureau office")
COMPASS = words_of("north south east west northern southern eastern western new upper lower greater central")
PLACE_PREPS = words_of("""in near at from into across outside inside toward towards throughout around""")
NAMED_FOR_PERSON = words_of("""administration campaign family era presidency government's""")
NORP = words_of(
    """shiite shia sunni kurdish kurd kurds muslim muslims christian christians jewish jew jews catholic protestant
    orthodox arab arabs arabic persian hindu buddhist democrat democrats republican republicans western eastern
    islamist islamists latino"""
)
NUMBER_WORDS = words_of("""one two three four five six seven eight nine ten eleven twelve""")
_GOVERNING = PLACE_PREPS | {"on", "of", "about", "for", "with", "by", "against"}  # words a name may follow
_LEADING = PERSON_ROLES | {"members", "leader"}  # "leader of the X": an organisation
_PERSON_ROLE_STEMS = frozenset(r.rstrip("s") for r in PERSON_ROLES)
_ORG_ROLE_STEMS = frozenset(r.rstrip("s") for r in ORG_ROLES)
_JOINING = CONNECTORS | {"and", "&"}  # what joins two capitalised runs into one name when "of" is in it
_POSSESSIVE = ("'s", "’s")
_INITIALS = re.compile(r"(?:\w\.)+")
MAX_TOKENS = 65_536  # tokens whose reading (capitalised, cleaned) a recogniser keeps before it starts again


@dataclass(slots=True)
class Mention:
    """One naming of an entity in one sentence, with the kind its context suggests."""

    name: str
    article_id: str
    sentence: str
    votes: Counter[str] = field(default_factory=Counter)
    acronym: bool = False
    expansion: str | None = None
    initial: bool = False


def _clean(token: str) -> str:
    """A token without a trailing full stop (kept for initials like U.S.) and possessive."""
    if token.endswith(".") and not _INITIALS.fullmatch(token) and token[:-1].lower() not in TITLES:
        token = token[:-1]
    for suffix in ("'s", "’s"):
        if token.endswith(suffix):
            token = token[: -len(suffix)]
    return token


def _is_acronym(token: str) -> bool:
    """Whether a token is an acronym (PMF, U.S., IRGC)."""
    return bool(_ACRONYM.match(token) or _ACRONYM.match(token.rstrip(".")))


def _capitalised(token: str) -> bool:
    """Whether a token can be part of a name: capitalised (every hyphen part too) or a particle before one."""
    bare = token.rstrip(".")
    lower = bare.lower()
    for particle in PARTICLES:
        if lower.startswith(particle) and len(bare) > len(particle):
            return bare[len(particle)].isupper()
    parts = [p for p in bare.split("-") if p]
    return bool(parts) and all(p[0].isupper() for p in parts)


# licence, copyright and credit lines: what they name is the page's furniture, not the story's people or places
_BOILERPLATE = re.compile(
    r"\bCC[- ]BY(?:[- ](?:SA|NC|ND))*\s+\d|\bCC0\b|\ball rights reserved\b|©|\(c\)\s*\d{4}|"
    r"\b(?:licen[cs]ed|published|available|released|distributed) under (?:a |the )?"
    r"(?:CC\b|Creative Commons|GNU|MIT|Apache)|"
    r"\bcopyright\s*(?:©|\(c\)|\d{4})|"
    r"^\s*\(?(?:photo|image|picture|video)s?\s*(?:credit)?\s*[:/©]",
    re.IGNORECASE,
)


def is_boilerplate(sentence: str) -> bool:
    """Whether a sentence is a licence, copyright or credit line (it makes no entities)."""
    return bool(_BOILERPLATE.search(sentence))


def _shouted(words: list[str]) -> bool:
    """Whether a run of capitals is shouted text ("I WON THIS ELECTION", "CC BY"), not a name written in capitals:
    two or more upper-case words, one of them a common word, or four or more."""
    letters = [w for w in words if any(c.isalpha() for c in w)]
    if len(letters) < 2 or not all(w.isupper() for w in letters):
        return False
    return len(letters) >= 4 or any(w.lower() in STOPWORDS for w in letters)


class Recognizer(Protocol):
    """Finds the mentions of names in an article."""

    name: str

    def mentions(self, article: Article, gazetteer: Gazetteer) -> list[Mention]:
        """Every mention of a name in the article's body."""
        ...


class RuleRecognizer:
    """Names without a model: capitalised spans, acronyms, titles and the words around them."""

    name = "rules"

    def __init__(self, languages: tuple[str, ...] = ("en",)) -> None:
        """Know the month and weekday names of these languages (never names of entities)."""
        self.calendar: set[str] = set()
        self._calendars: set[str] = set()
        self.calendar_reads: list[tuple[str, bool]] | None = None  # noted while a memo records what it read
        # _capitalised and _clean of each token seen (pure functions of it, asked for most tokens several times)
        self._capitals: dict[str, bool] = {}
        self._cleaned: dict[str, str] = {}
        for code in ("en", *languages):
            self.add_language(code)

    def add_language(self, code: str | None) -> None:
        """Add one language's month and weekday names (from CLDR, once)."""
        code = (code or "en").split("-")[0]
        if code in self._calendars:
            return
        self._calendars.add(code)
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            return
        for table in (locale.months["format"], locale.days["format"]):
            for width in ("wide", "abbreviated"):
                self.calendar.update(name.lower().rstrip(".") for name in table[width].values())

    def capitalised(self, token: str) -> bool:
        """_capitalised(token), remembered."""
        return remembered(self._capitals, token, _capitalised, MAX_TOKENS)

    def clean(self, token: str) -> str:
        """_clean(token), remembered."""
        return remembered(self._cleaned, token, _clean, MAX_TOKENS)

    def is_calendar(self, word: str) -> bool:
        """Whether a lower-case word is a month or weekday name of a language it knows (noted in calendar_reads
        while they are recorded: the only way recognition reads the calendar)."""
        answer = word in self.calendar
        if self.calendar_reads is not None:
            self.calendar_reads.append((word, answer))
        return answer

    def calendar_answers(self, reads: Iterable[tuple[str, bool]]) -> bool:
        """Whether the calendar gives every one of these recorded reads the same answer now."""
        calendar = self.calendar
        return all((word in calendar) == answer for word, answer in reads)

    def mentions(self, article: Article, gazetteer: Gazetteer) -> list[Mention]:
        """Every mention of a name in the article's body."""
        self.add_language(article.language)
        sentences, lowercase = self.reading(article)
        return [m for sentence in sentences for m in self.sentence_mentions(sentence, lowercase, gazetteer)]

    @staticmethod
    def reading(article: Article) -> tuple[list[Sentence], set[str]]:
        """An article's sentences and the words it writes in lower case (what recognising each sentence reads of
        the rest of the article)."""
        sentences = article_sentences(article)
        return sentences, {w for s in sentences for w in re.findall(r"\b[a-z]\w+", s.text)}

    def sentence_mentions(self, sentence: Sentence, lowercase: set[str], gazetteer: Gazetteer) -> list[Mention]:
        """Every mention of a name in one sentence of an article (lowercase: the article's lower-case words)."""
        if is_boilerplate(sentence.text):
            return []
        tokens = list(_TOKEN.finditer(sentence.text))
        found = [
            placed
            for start, end in self._spans(sentence.text, tokens)
            for placed in self._span_mentions(sentence, tokens, (start, end), lowercase, gazetteer)
        ]
        _share_list_votes(sentence.text, found)
        return [mention for _, _, mention in found]

    def _spans(self, text: str, tokens: list[re.Match[str]]) -> list[tuple[int, int]]:
        """Runs of capitalised tokens (with connectors such as 'of' inside), as token index ranges."""
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            if not self.capitalised(tokens[i][0]):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and self._continues(text, tokens, i, j):
                j += 2 if tokens[j][0].lower() in _JOINING else 1
                if tokens[j - 1][0].isdigit():
                    break
            spans.append((i, j))
            i = j
        return spans

    def _continues(self, text: str, tokens: list[re.Match[str]], i: int, j: int) -> bool:
        """Whether token j extends the span that began at token i."""
        gap = text[tokens[j - 1].end() : tokens[j].start()]
        if gap.strip() or tokens[j - 1][0].endswith(_POSSESSIVE):
            return False
        word, previous = tokens[j][0], tokens[j - 1][0]
        if (_is_acronym(word) or _is_acronym(previous)) and not (word.isupper() and previous.isupper()):
            return False
        if self.capitalised(word):
            return True
        if word.isdigit() and len(word) <= 3 and j - i == 1 and not self.is_calendar(previous.lower()):
            return True
        joins = _JOINING if any(t[0] == "of" for t in tokens[i:j]) else CONNECTORS
        return (
            word.lower() in joins
            and j + 1 < len(tokens)
            and self.capitalised(tokens[j + 1][0])
            and not text[tokens[j].end() : tokens[j + 1].start()].strip()
        )

    def _span_mentions(
        self,
        sentence: Sentence,
        tokens: list[re.Match[str]],
        span: tuple[int, int],
        lowercase: set[str],
        gazetteer: Gazetteer,
    ) -> Iterable[tuple[int, int, Mention]]:
        """Trim a capitalised span (sentence-initial words, titles) and judge what it names."""
        text = sentence.text
        start, end = span
        clean = self.clean
        words = [clean(t[0]) for t in tokens[start:end]]
        votes: Counter[str] = Counter()
        prefix = text[: tokens[start].start()].strip(" \"'“‘«(-–—")
        opening = not prefix or prefix[-1] in ".:;!?"
        first = words[0].lower() if words else ""
        common = (
            bool(words)
            and not words[0].isupper()
            and (first in STOPWORDS or first in NUMBER_WORDS or first in lowercase)
        )
        known_rest = len(words) >= 2 and gazetteer.kind_of(" ".join(words[1:])) and not gazetteer.kind_of(words[0])
        if opening and (common or known_rest):
            words, start = words[1:], start + 1
        while words and words[0].lower() in ("the", "a", "an"):
            words, start = words[1:], start + 1
        titled = [k for k, w in enumerate(words) if w.lower().rstrip(".") in TITLES]
        if titled and words[-1].lower() not in ORG_HEADS:
            last = titled[-1]
            if last == len(words) - 1:
                return
            left = [w for w in words[: titled[0]] if w.lower().rstrip(".") not in TITLES]
            if len(left) >= 2:
                yield -1, -1, Mention(" ".join(left), sentence.article_id, text, Counter({"organization": 1}))
            words, start = words[last + 1 :], start + last + 1
            votes["person"] += 3
        while words and words[0].lower() in CONNECTORS:
            words, start = words[1:], start + 1
        if not words or all(not w.isupper() and (w.lower() in STOPWORDS or self.is_calendar(w.lower())) for w in words):
            return
        name = " ".join(words)
        if len(name) < 2 or name.lower() in NORP:
            return
        if _shouted(words) and not gazetteer.kind_of(name.title()):
            return
        possessive = tokens[end - 1][0].endswith(_POSSESSIVE)
        before = [clean(t[0]).lower() for t in tokens[max(0, start - 3) : start]]
        after = [clean(t[0]).lower() for t in tokens[end : end + 8]]
        gap_after = text[tokens[end - 1].end() : tokens[end].start()] if end < len(tokens) else ""
        context = Context(words, before, after, gap_after, text[tokens[end - 1].end() :], possessive)
        _context_votes(votes, context)
        acronym = len(words) == 1 and _is_acronym(words[0])
        if acronym:
            votes["organization"] += 2
        kind = gazetteer.kind_of(name)
        if kind:
            votes[kind] += 4
        expansion = None
        paren = re.match(r"\s*\(([A-Z][A-Za-z.]{1,7})\)", text[tokens[end - 1].end() :])
        if paren and len(words) >= 2:
            expansion = paren[1]
        initial = opening and len(words) == 1
        mention = Mention(name, sentence.article_id, text, votes, acronym, expansion, initial)
        yield tokens[start].start(), tokens[end - 1].end(), mention


@dataclass(slots=True, frozen=True)
class Context:
    """A span's words and the words around it."""

    words: list[str]
    before: list[str]
    after: list[str]
    gap_after: str
    rest: str
    possessive: bool


def _share_list_votes(text: str, found: list[tuple[int, int, Mention]]) -> None:
    """Names in one list ('Kyiv, Lviv, Odesa and Kharkiv') share a place reading one of them has."""
    placed = sorted((f for f in found if f[0] >= 0), key=lambda f: f[0])
    chains: list[tuple[list[Mention], bool]] = []
    for k, (start, _end, mention) in enumerate(placed):
        gap = text[placed[k - 1][1] : start] if k else ""
        if k and re.fullmatch(r"\s*(?:,|,?\s+and|,?\s+or)\s*", gap):
            chains[-1][0].append(mention)
            chains[-1] = (chains[-1][0], chains[-1][1] or gap.strip(" ,") in ("and", "or"))
        else:
            chains.append(([mention], False))
    for chain, conjoined in chains:
        # "X and Y" or a list of three; "Iraq, Saedi" alone may be an apposition or a clause boundary
        if not (conjoined or len(chain) >= 3) or not any(m.votes["place"] > 0 for m in chain):
            continue
        for mention in chain:
            if mention.votes["person"] <= 0 and mention.votes["organization"] <= 0:
                mention.votes["place"] += 2


def _context_votes(votes: Counter[str], ctx: Context) -> None:  # noqa: PLR0912  one branch per context rule that votes, in the order they are weighed
    """Add kind votes from the words around a span and its own head words."""
    lower = [w.lower() for w in ctx.words]
    before, after = ctx.before, ctx.after
    governed = bool(before) and before[-1] in _GOVERNING
    if after and after[0] in SAID and not ctx.gap_after.strip() and not governed:
        votes["person"] += 2
    if before and before[-1] in SAID:
        votes["person"] += 2
    if after and after[0] in NAMED_FOR_PERSON:
        votes["person"] += 2
    elif before and before[-1] == "the":
        votes["person"] -= 2
    if before and before[-1] in PLACE_PREPS:
        votes["place"] += 1
    if len(before) >= 2 and before[-1] == "the" and before[-2] in PLACE_PREPS:
        votes["place"] += 1
    if before and before[-1] in PERSON_ROLES:
        votes["person"] += 2
    if before and before[-1] in ORG_ROLES:
        votes["organization"] += 2
    if len(before) >= 2 and before[-1] == "of" and before[-2] in PLACE_ROLES:
        votes["place"] += 2
    if len(before) >= 2 and before[-1] in ("of", "the") and before[-2] in _LEADING:
        votes["organization"] += 1
    if any(w in ORG_ROLES for w in after[:2]) and not ctx.gap_after.strip() and not ctx.possessive:
        votes["organization"] += 2
    _apposition_votes(votes, ctx.rest)
    headed = lower[-1] in ORG_HEADS or lower[0] in ORG_FIRST
    if headed:
        votes["organization"] += 4
    if lower[-1] in PLACE_HEADS or (len(lower) >= 2 and lower[0] in COMPASS and not headed):
        votes["place"] += 4
    if len(ctx.words) >= 2 and any(w.lower().startswith(PARTICLES) or w in ("Abu", "Bin", "Ibn") for w in ctx.words):
        votes["person"] += 1
    if 2 <= len(ctx.words) <= 4 and not headed and not any(w.lower() in CONNECTORS or w.isdigit() for w in ctx.words):
        votes["person"] += 1


def _apposition_votes(votes: Counter[str], rest: str) -> None:
    """', a senior adviser' after a name votes person; ', a political party' organisation; ', a town' place."""
    apposition = re.match(r",\s+(?:a|an|the|its|his|her|one of the)\s+([^,.;]{1,60})", rest)
    if not apposition:
        return
    nouns = {w.lower().rstrip("s") for w in plain_words(apposition[1])[:6]}
    if nouns & _PERSON_ROLE_STEMS:
        votes["person"] += 2
    elif nouns & _ORG_ROLE_STEMS:
        votes["organization"] += 2
    elif nouns & PLACE_ROLES:
        votes["place"] += 2


_SPACY_KINDS: dict[str, EntityKind | None] = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": None,
    "EVENT": "other",
    "WORK_OF_ART": "other",
    "LAW": "other",
    "PRODUCT": "other",
    "MISC": "other",
}


class SpacyRecognizer:
    """Names from a spaCy pipeline's entity recogniser, judged with the same gazetteer."""

    name = "spacy"

    def __init__(self, nlp: Any) -> None:
        """Wrap a loaded spaCy Language object (any pipeline with an 'ner' or entity ruler)."""
        self.nlp = nlp

    def mentions(self, article: Article, gazetteer: Gazetteer) -> list[Mention]:
        """Every entity span spaCy finds in the article's sentences."""
        out: list[Mention] = []
        for sentence in article_sentences(article):
            if is_boilerplate(sentence.text):
                continue
            doc = self.nlp(sentence.text)
            for ent in doc.ents:
                kind = _SPACY_KINDS.get(str(ent.label_))
                if kind is None:
                    continue
                name = re.sub(r"^(?:the|The)\s+", "", str(ent.text)).strip()
                name = re.sub(r"['’]s$", "", name)
                if len(name) < 2:
                    continue
                votes: Counter[str] = Counter({kind: 5})
                known = gazetteer.kind_of(name)
                if known:
                    votes[known] += 2
                acronym = bool(_ACRONYM.match(name))
                out.append(Mention(name, sentence.article_id, sentence.text, votes, acronym))
        return out


def load_spacy(model: str) -> SpacyRecognizer | None:
    """A recogniser over an installed spaCy pipeline, or None when spaCy or the pipeline is not installed."""
    try:
        import spacy  # noqa: PLC0415  spaCy is the optional [nlp] extra
    except ImportError:
        log.info("spaCy is not installed (pip install 'newsfold[nlp]'); using the rule-based recogniser")
        return None
    try:
        nlp = spacy.load(model, exclude=["parser", "lemmatizer", "textcat"])
    except OSError:
        log.info("spaCy pipeline %s is not installed (python -m spacy download %s); using rules", model, model)
        return None
    return SpacyRecognizer(nlp)
