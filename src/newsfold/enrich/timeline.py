"""Dated events: absolute and relative date expressions resolved against an article's publication date."""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from babel import Locale, UnknownLocaleError

from newsfold.enrich.text import STOPWORDS, article_sentences, content_words, words_of
from newsfold.model import Article, Event, Precision
from newsfold.plausible import article_date, shift_days, year_start
from newsfold.text.words import written_words

log = logging.getLogger(__name__)

NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365}
AMBIGUOUS = frozenset({"may", "march", "august"})
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_NUMBER = r"(\d{1,2}|" + "|".join(NUMBERS) + r")"
_RELATIVE = re.compile(
    rf"\b{_NUMBER}\s+(days?|weeks?|months?|years?)\s+(ago|later|earlier|after|before)\b(?!\s+(?:the|that|this|his|her))",
    re.IGNORECASE,
)
_DECADE = re.compile(r"\b(?:nearly |almost |about |more than |over )?(a|one|two|three) decades? ago\b", re.IGNORECASE)
_NAMED = re.compile(
    r"\b(yesterday|today|tomorrow|tonight|this morning|this week|last week|next week|last month|this month|"
    r"earlier this month|next month|last year|this year|earlier this year|next year)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SEASON = re.compile(r"\b(spring|summer|fall|autumn|winter)\s+(?:of\s+)?((?:19|20)\d{2})\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d,.$€£-])\b((?:19|20)\d{2})\b(?![\d%]|[.,]\d|-\d)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_FUTURE = re.compile(r"\b(will|next|upcoming|is due|are due|plans? to|scheduled)\b", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class DateMatch:
    """One date expression found in a sentence, resolved."""

    start: int
    end: int
    day: date
    precision: Precision
    confidence: float
    expression: str


class DateResolver:
    """Finds and resolves date expressions for one language (month and weekday names from CLDR via babel)."""

    def __init__(self, language: str | None = "en") -> None:
        """Build the month and weekday patterns for language (English names are always understood)."""
        self.months: dict[str, int] = {}
        self.weekdays: dict[str, int] = {}
        for code in {"en", language or "en"}:
            self._add_names(code)
        months = "|".join(sorted((re.escape(m) for m in self.months), key=len, reverse=True))
        days = "|".join(sorted((re.escape(d) for d in self.weekdays), key=len, reverse=True))
        flags = re.IGNORECASE
        self._month_day = re.compile(
            rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d{{2}}))?", flags
        )
        self._day_month = re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+|de\s+)?({months})\b\.?(?:,?\s+(?:de\s+)?((?:19|20)\d{{2}}))?",
            flags,
        )
        self._month_year = re.compile(rf"\b({months})\.?\s+(?:of\s+|de\s+)?((?:19|20)\d{{2}})\b", flags)
        self._month_only = re.compile(
            rf"\b(?:in|since|from|by|until|through|early|late|mid|mid-|last|this|next|im|en|in\s+early|in\s+late)\s+({months})\b",
            flags,
        )
        self._weekday = re.compile(rf"\b(?:(last|next|this)\s+)?({days})\b", flags)

    def _add_names(self, code: str) -> None:
        """Add the wide and abbreviated month and weekday names of one locale."""
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            log.debug("no calendar names for %s", code)
            return
        for width in ("wide", "abbreviated"):
            for number, name in locale.months["format"][width].items():
                key = name.lower().rstrip(".")
                if (len(key) >= 3 and key not in ("may", "mar")) or width == "wide":
                    self.months.setdefault(key, number)
            for number, name in locale.days["format"][width].items():
                if width == "wide":
                    self.weekdays.setdefault(name.lower(), number)
        self.months.setdefault("sept", 9)

    def find(self, sentence: str, published: date, anchor: DateMatch | None = None) -> list[DateMatch]:
        """Every date expression in sentence, resolved against published (and anchor for 'N days later')."""
        found: list[DateMatch] = []
        sentence = _URL.sub(lambda m: " " * len(m[0]), sentence)
        future = bool(_FUTURE.search(sentence))
        self._absolute(sentence, published, future, found)
        self._relative(sentence, published, anchor, future, found)
        found = self._without_qualifying_weekdays(found)
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[DateMatch] = []
        for match in found:
            if kept and match.start < kept[-1].end:
                continue
            kept.append(match)
        return kept

    def _without_qualifying_weekdays(self, found: list[DateMatch]) -> list[DateMatch]:
        """Drop a weekday that only qualifies a nearby date ('on Tuesday, February 4', 'tomorrow, a Tuesday')."""
        weekdays = [m for m in found if m.expression.lower().split()[-1] in self.weekdays]
        others = [m for m in found if m not in weekdays and m.precision == "day"]
        return [
            m
            for m in found
            if m not in weekdays or not any(abs(m.start - o.end) <= 12 or abs(o.start - m.end) <= 12 for o in others)
        ]

    def _absolute(self, sentence: str, published: date, future: bool, found: list[DateMatch]) -> None:
        """Dates written out: ISO, month and day, day and month, month and year, seasons, months, years."""
        if _DIGIT.search(sentence) is None:
            # every pattern here but the month alone needs a digit: most sentences have none
            self._months_alone(sentence, published, future, found)
            return
        for m in _ISO.finditer(sentence):
            day = _safe_date(int(m[1]), int(m[2]), int(m[3]))
            if day:
                found.append(DateMatch(m.start(), m.end(), day, "day", 1.0, m[0]))
        for m in self._month_day.finditer(sentence):
            if m[1][0].islower() and m[1].lower() in AMBIGUOUS:
                continue
            self._add_day(found, m, self.months[m[1].lower().rstrip(".")], int(m[2]), m[3], published, future)
        for m in self._day_month.finditer(sentence):
            self._add_day(found, m, self.months[m[2].lower().rstrip(".")], int(m[1]), m[3], published, future)
        for m in self._month_year.finditer(sentence):
            month = self.months[m[1].lower().rstrip(".")]
            self._add(found, m, _safe_date(int(m[2]), month, 1), "month", 1.0)
        for m in _SEASON.finditer(sentence):
            month = SEASONS[m[1].lower()]
            self._add(found, m, _safe_date(int(m[2]), month, 1), "month", 0.6)
        self._months_alone(sentence, published, future, found)
        for m in _YEAR.finditer(sentence):
            self._add(found, m, year_start(int(m[1])), "year", 0.9)

    def _months_alone(self, sentence: str, published: date, future: bool, found: list[DateMatch]) -> None:
        """A month named without its day or year ("in March"), its year inferred from the publication date."""
        for m in self._month_only.finditer(sentence):
            name = m[1]
            if name[0].islower() and name.lower() in AMBIGUOUS:
                continue
            month = self.months[name.lower().rstrip(".")]
            year = _infer_year(published, month, 1, future)
            day = _safe_date(year, month, 1) if year is not None else None
            if day is not None:
                found.append(DateMatch(m.start(1), m.end(), day, "month", 0.8, m[0]))

    @staticmethod
    def _add(
        found: list[DateMatch], m: re.Match[str], day: date | None, precision: Precision, confidence: float
    ) -> None:
        """Add a match spanning all of m when its date exists."""
        if day is not None:
            found.append(DateMatch(m.start(), m.end(), day, precision, confidence, m[0]))

    def _add_day(  # noqa: PLR0913  a matched day's parts and the publication it is read against
        self,
        found: list[DateMatch],
        m: re.Match[str],
        month: int,
        day_number: int,
        year_text: str | None,
        published: date,
        future: bool,
    ) -> None:
        """Add a day-precision match, inferring the year from the publication date when it is not written."""
        year = int(year_text) if year_text else _infer_year(published, month, day_number, future)
        day = _safe_date(year, month, day_number) if year is not None else None
        if day:
            found.append(DateMatch(m.start(), m.end(), day, "day", 1.0 if year_text else 0.9, m[0]))

    def _relative(
        self, sentence: str, published: date, anchor: DateMatch | None, future: bool, found: list[DateMatch]
    ) -> None:
        """Relative expressions: weekdays, yesterday, last week, N days ago or later."""
        for m in self._weekday.finditer(sentence):
            weekday = self.weekdays[m[2].lower()]
            direction = (m[1] or "").lower()
            if direction == "next" or (future and direction != "last"):
                offset = (weekday - published.weekday()) % 7 or 7
            else:
                offset = (published.weekday() - weekday) % 7
                if direction == "last" and offset == 0:
                    offset = 7
                offset = -offset
            self._add(found, m, shift_days(published, offset), "day", 0.8)
        for m in _NAMED.finditer(sentence):
            resolved = _named(m[1].lower(), published)
            if resolved:
                day, precision, confidence = resolved
                found.append(DateMatch(m.start(), m.end(), day, precision, confidence, m[0]))
        for m in _RELATIVE.finditer(sentence):
            count = int(m[1]) if m[1].isdigit() else NUMBERS[m[1].lower()]
            days = count * UNITS[m[2].lower()]
            direction = m[3].lower()
            base = published if direction == "ago" or anchor is None else anchor.day
            confidence = 0.7 if direction == "ago" else (min(0.6, anchor.confidence) if anchor else 0.3)
            shifted = shift_days(base, -days if direction in ("ago", "earlier", "before") else days)
            unit = m[2].lower().rstrip("s")
            coarse: Precision = "day" if unit in ("day", "week") else ("month" if unit == "month" else "year")
            self._add(found, m, _truncate(shifted, coarse) if shifted else None, coarse, confidence)
        for m in _DECADE.finditer(sentence):
            count = NUMBERS.get(m[1].lower(), 1)
            self._add(found, m, year_start(published.year - 10 * count), "year", 0.3)


def at_precision(value: str, precision: str) -> tuple[str, str]:
    """A stored event date at its precision: (its machine form, "YYYY" or "YYYY-MM" or the day; the reader's text).

    "2003" for a year, "January 2024" for a month, "January 28, 2024" for a day: the stored 2003-01-01 and
    2024-01-01 only stand for the year and the month.
    """
    try:
        moment = date.fromisoformat(value)
    except ValueError:
        return value, value
    if precision == "year":
        return f"{moment.year:04d}", f"{moment.year}"
    month = calendar.month_name[moment.month]
    if precision == "month":
        return f"{moment.year:04d}-{moment.month:02d}", f"{month} {moment.year}"
    return moment.isoformat(), f"{month} {moment.day}, {moment.year}"


def _named(expression: str, published: date) -> tuple[date, Precision, float] | None:
    """Resolve yesterday, last week, this month and the like (None where that leaves the calendar)."""
    monday = published - timedelta(days=published.weekday())
    first = published.replace(day=1)
    before, after = shift_days(first, -1), shift_days(published.replace(day=28), 4)
    table: dict[str, tuple[date | None, Precision, float]] = {
        "yesterday": (shift_days(published, -1), "day", 0.9),
        "today": (published, "day", 0.9),
        "tonight": (published, "day", 0.9),
        "this morning": (published, "day", 0.9),
        "tomorrow": (shift_days(published, 1), "day", 0.9),
        "this week": (monday, "day", 0.4),
        "last week": (shift_days(monday, -7), "day", 0.4),
        "next week": (shift_days(monday, 7), "day", 0.4),
        "this month": (first, "month", 0.8),
        "earlier this month": (first, "month", 0.8),
        "last month": (before.replace(day=1) if before else None, "month", 0.8),
        "next month": (after.replace(day=1) if after else None, "month", 0.8),
        "this year": (year_start(published.year), "year", 0.8),
        "earlier this year": (year_start(published.year), "year", 0.8),
        "last year": (year_start(published.year - 1), "year", 0.8),
        "next year": (year_start(published.year + 1), "year", 0.8),
    }
    found = table.get(expression)
    if found is None or found[0] is None:
        return None
    return found[0], found[1], found[2]


def _infer_year(published: date, month: int, day: int, future: bool) -> int | None:
    """The year of a month (and day) written without one: the latest not after publication, unless future
    (None when that year is outside the calendar)."""
    candidate = _safe_date(published.year, month, min(day, 28)) or date(published.year, month, 1)
    if future:
        week_before = shift_days(published, -7)
        year = published.year if week_before is None or candidate >= week_before else published.year + 1
    else:
        week_after = shift_days(published, 7)
        year = published.year if week_after is None or candidate <= week_after else published.year - 1
    return year if date.min.year <= year <= date.max.year else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the parts do not make one."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _truncate(day: date, precision: Precision) -> date:
    """The first day of the month or year for coarser precisions."""
    if precision == "year":
        return date(day.year, 1, 1)
    if precision == "month":
        return day.replace(day=1)
    return day


class TimelineExtractor:
    """Finds an article's dated events: one per sentence and resolved date."""

    def __init__(self) -> None:
        """Start with no resolvers; one per language is built when first needed."""
        self._resolvers: dict[str, DateResolver] = {}

    def resolver(self, language: str | None) -> DateResolver:
        """The resolver for a language (built once per extractor)."""
        code = (language or "en").split("-")[0]
        if code not in self._resolvers:
            self._resolvers[code] = DateResolver(code)
        return self._resolvers[code]

    def events(self, article: Article) -> list[Event]:
        """The dated events of an article's body; none when it has no publication date."""
        when = article_date(article.published, article, what="publication date")
        if when is None:
            return []
        published = when.date()
        resolver = self.resolver(article.language)
        anchor: DateMatch | None = None
        out: list[Event] = []
        for sentence in article_sentences(article):
            matches = resolver.find(sentence.text, published, anchor)
            if matches and is_dateline(sentence.text, matches):
                continue
            best: dict[tuple[date, Precision], DateMatch] = {}
            for match in matches:
                key = (match.day, match.precision)
                if key not in best or match.confidence > best[key].confidence:
                    best[key] = match
            for match in best.values():
                out.append(
                    Event(
                        date=match.day.isoformat(),
                        precision=match.precision,
                        text=sentence.text,
                        article_id=article.id,
                        confidence=match.confidence,
                        expression=match.expression,
                    )
                )
            days = [m for m in matches if m.precision == "day"]
            if days:
                anchor = days[-1]
        return out


_PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}
# words that say when or by whom a text was published, not what happened
_PUBLISHING = words_of("posted published updated modified edited written dateline last on at by am pm gmt utc est")
# how far apart two copies may place one happening told with a relative date ("last week", "on Wednesday")
RELATIVE_SLACK_DAYS = 7


def is_dateline(sentence: str, matches: Sequence[DateMatch]) -> bool:
    """Whether a sentence is only a date (a dateline, "Monday, January 7, 2019", a publication stamp).

    Beside its dates an event's sentence says what happened: a content word written in lower case (a verb or a
    noun: "He died today."), not only the names of a place or an author and the words of a publication stamp.
    """
    rest = list(sentence)
    for match in matches:
        rest[match.start : match.end] = " " * (match.end - match.start)
    left = [
        w
        for w in written_words("".join(rest))
        if (low := w.lower()) not in STOPWORDS
        and low not in _PUBLISHING
        and low not in _WEEKDAY_WORDS
        and not w.isdigit()
        and len(w) > 1
    ]
    return not any(w[0].islower() for w in left)


_WEEKDAY_WORDS = words_of("monday tuesday wednesday thursday friday saturday sunday")


def _same_event(a: Event, b: Event, languages: dict[str, str | None]) -> bool:
    """Whether two events with one date tell the same thing (shared words or names, or across languages)."""
    wa, wb = set(content_words(a.text)), set(content_words(b.text))
    if wa and wb and len(wa & wb) / len(wa | wb) >= 0.3:
        return True
    if languages.get(a.article_id) != languages.get(b.article_id):
        names_a = {w for w in written_words(a.text) if w[:1].isupper() or w.isdigit()}
        names_b = {w for w in written_words(b.text) if w[:1].isupper() or w.isdigit()}
        return len(names_a & names_b) >= 2
    return False


def _same_time(a: Event, b: Event) -> bool:
    """Whether two events may date one happening: the same date, or copies placing it a little apart.

    Copies published on different days resolve "last week" or "on Wednesday" to different days, and one copy may
    write "in February" where another writes "on February 2": across articles a relative date (confidence under 1)
    within RELATIVE_SLACK_DAYS, or a coarser date containing the finer one, is the same time.
    """
    if a.date == b.date and a.precision == b.precision:
        return True
    if a.article_id == b.article_id:
        return False
    da, db = date.fromisoformat(a.date), date.fromisoformat(b.date)
    if a.precision == b.precision == "day":
        relative = min(a.confidence, b.confidence) < 1.0
        return relative and abs((da - db).days) <= RELATIVE_SLACK_DAYS
    coarse, fine = (a, b) if _PRECISION_ORDER[a.precision] < _PRECISION_ORDER[b.precision] else (b, a)
    dc, df = date.fromisoformat(coarse.date), date.fromisoformat(fine.date)
    if coarse.precision == "year":
        return dc.year == df.year
    return (dc.year, dc.month) == (df.year, df.month)


def merge_timeline(events: Sequence[Event], rank: dict[str, int], languages: dict[str, str | None]) -> list[Event]:
    """A story's timeline: events of every article, one per happening, from the best-ranked article, by date."""
    ordered = sorted(events, key=lambda e: (rank.get(e.article_id, 99), -e.confidence))
    kept: list[Event] = []
    for event in ordered:
        duplicate = any(_same_time(k, event) and _same_event(k, event, languages) for k in kept)
        if not duplicate:
            kept.append(event)
    kept.sort(key=lambda e: (e.date, _PRECISION_ORDER[e.precision], rank.get(e.article_id, 99)))
    return kept
