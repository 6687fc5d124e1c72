"""Line-level rules for scraped text (the C4/RefinedWeb kind): which lines are page furniture, and why."""

from __future__ import annotations

import re

import regex

# whole short lines that are controls or menu entries on news sites (several languages)
_CONTROL_PHRASES = """
comments|comment|print|press|share|split|menü|menu öffnen|open menu|×|x|
tweet|email|e-mail|mail|facebook|twitter|whatsapp|linkedin|pinterest|
telegram|reddit|flipboard|messenger|copy link|copy-link|save|bookmark|listen|play|pause|menu|home|search|login|
log in|sign in|sign up|register|subscribe|newsletter|close|back|next|previous|top|skip to content|skip to main content|
advertisement|advertising|sponsored|anzeige|werbung|kommentare|kommentar|drucken|teilen|merken|vorlesen|mehr|
weiterlesen|zurück|suche|publicité|partager|commentaires|imprimer|compartir|comentarios|imprimir|condividi|
commenti|stampa|delen|reageren|udostępnij|komentarze|dela|kommentarer|jaa|kommentit|sdílet|more|read more|
show more|load more|see more|view more|continue reading|expand|collapse|news|breaking news|live|video|videos|
photos|gallery|podcast|podcasts|opinion|tags|topics|themen|schlagworte|view photos|view gallery|view video|
watch|watch video|photo|foto|image|bild|listen to this article|artikel anhören|audio|link copied|
link wurde kopiert|lien copié|enlace copiado|copied|kopiert|placeholder|placeholder image|up next|
read next|next article|nächster artikel|article suivant
"""
_CONTROL_LINE = re.compile(
    r"^(?:"
    + "|".join(
        sorted(
            (re.escape(p.strip()).replace(r"\ ", r"\s+") for p in _CONTROL_PHRASES.split("|") if p.strip()),
            key=len,
            reverse=True,
        )
    )
    + r")(?:[\s-]*\(?\d+\)?)?[\s:.!>»›|/-]*$",
    re.IGNORECASE,
)
_LIST_HEADER = re.compile(
    r"^(?:my news|latest(?: news)?|you (?:may|might) (?:also )?like|trends?(?:\s*24h)?|trending(?: now)?|"
    r"most (?:read|popular|viewed|shared)|related(?: articles| stories| news| content)?|read (?:also|more|next)|"
    r"also read|see also|more (?:from|stories|news|on|about)\b.*|top stories|editors?'? picks|recommended(?: for you)?|"
    r"meistgelesen\w*(?: artikel)?|auch interessant|mehr zum thema|das könnte sie auch interessieren|"
    r"(?:à )?lire aussi|les plus lus|leer más|lo más leído|te puede interesar|leggi anche|i più letti|zie ook|"
    r"czytaj (?:także|też)|weitere (?:artikel|nachrichten|themen))\s*:?$",
    re.IGNORECASE,
)
_RELATIVE_TIME = re.compile(
    r"^(?:\d+|an?|one)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?)\s+ago$|^yesterday$|^today$|"
    r"^vor\s+\d+\s+(?:sekunden|minuten|stunden?|tagen?)$|^il y a\s+\d+\s+\w+$|^hace\s+\d+\s+\w+$|^\d+\s*(?:h|min|m|d)$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(?:©|\(c\)|copyright\b|photo\s*(?:credit)?\s*:|foto\s*:|bild\s*:|image\s*:|credit\s*:|picture\s*:|"
    r"source\s+image|crédit\s*:|fotos?\s*:|imagen\s*:)"
    r"|(?:getty images|afp via getty|/\s*imago|/\s*dpa|/\s*reuters|/\s*ap photo|/\s*shutterstock|/\s*epa)\s*\)?$",
    re.IGNORECASE,
)
# a caption with its credit at the end: "... an. Bild: Andreas Seidel/Archiv"
_INLINE_CREDIT = re.compile(
    r"[.!?)»”\"]\s+(?:Bild|Foto|Fotos|Photo|Image|Credit|Crédit|Picture|Imagen|Quelle|Source)\s*:\s*[^.!?]{2,80}$|"
    r"\((?:Photo|Foto|Bild|Image|Picture|Pic)s?\s*:[^)]{2,80}\)$|\b(?:Photo|Foto|Image)\s+by\s+[^.]{2,60}$",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"\b(?:subscribe|subscription|subscriber|sign up|sign-up|newsletter|free trial|for free for|free for \w+ weeks|"
    r"get exclusive|unlimited access|already a subscriber|paywall|download (?:the|our) app|abonnieren|abonnement|"
    r"probeabo|jetzt lesen|gratis testen|abonnez-vous|suscríbete|abbonati|ad-free|donate|donation|spende|spenden|"
    r"become a member|werden sie mitglied|mitglied werden|support (?:us|our journalism|independent journalism)|"
    r"unterstützen sie uns|soutenez-nous|faire un don)\b",
    re.IGNORECASE,
)
_COOKIE = re.compile(
    r"\b(?:cookies?|privacy (?:policy|settings|notice)|datenschutz\w*|terms (?:of use|of service|and conditions)|"
    r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
    r"impressum|imprint|accept all|consent)\b",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"not under our control|does not necessarily (?:imply|reflect)|endorse the views|views expressed (?:here|in this)|"
    r"contact us to remove|remove/chang|removal request|\bdmca\b|takedown|reproduction (?:is )?prohibited|"
    r"may not be (?:published|reproduced|broadcast)|without (?:prior )?written permission|kommentarfunktion|"
    r"comments? (?:are|is) (?:closed|disabled)|(?:reader )?comments do not (?:reflect|represent)|"
    r"geben nicht (?:die|unbedingt die) meinung der redaktion wieder|"
    r"^(?:filed under|posted in|tagged|abgelegt unter|kategorie|categories)\b|\babgelegt unter\b",
    re.IGNORECASE,
)
_ARCHIVE = re.compile(r"^all (?:news|articles|news articles|stories) (?:on|from|of)\b", re.IGNORECASE)
_ONLY_LINKS = re.compile(r"^(?:\S+@\S+|https?://\S+|www\.\S+)(?:\s+(?:\S+@\S+|https?://\S+|www\.\S+))*$", re.IGNORECASE)
_CODE = re.compile(r"javascript|lorem ipsum|\{\{|\}\}|\{\*|\{\||function\s*\(|var\s+\w+\s*=|<\w+[^>]*>", re.IGNORECASE)
TERMINAL = (".", "!", "?", "…", '"', "”", "“", "»", "'", "’", ")", ":", "。", "！", "？", "؟", "।")
# Unicode's sentence terminals (the Sentence_Terminal property: Urdu ۔, Armenian ։, Amharic ።, Burmese ။, Khmer ។,
# Devanagari ॥, ...): a line ending in one ends a sentence too (an Urdu story's paragraphs all read as crossheads)
SENTENCE_TERMINAL = regex.compile(r"\p{Sentence_Terminal}")
# Thai and Lao prose has no sentence mark (a space parts sentences, a line break ends the paragraph): a line of
# either that runs this long is prose, a shorter one could be a headline
_UNMARKED_SCRIPT = regex.compile(r"[\p{Thai}\p{Lao}]")
UNMARKED_PROSE = 60
# runs of scripts written without spaces, and about how many of their characters make a word
_UNSPACED_RUN = regex.compile(r"(?P<cjk>[\p{Han}\p{Hiragana}\p{Katakana}]+)|[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]+")
CJK_WORD_CHARS = 2
SOUTHEAST_WORD_CHARS = 5


def furniture_rule(line: str) -> str | None:
    """The name of the first furniture rule a line matches, or None."""
    text = line.strip()
    words = len(text.split())
    if not text:
        return "empty"
    if _CODE.search(text):
        return "code"
    if words <= 6 and (_CONTROL_LINE.match(text) or _LIST_HEADER.match(text)):
        return "control"
    if _RELATIVE_TIME.match(text):
        return "relative-time"
    if words <= 15 and _CREDIT.search(text):
        return "credit"
    if words <= 60 and _INLINE_CREDIT.search(text):
        return "caption"
    if _ONLY_LINKS.match(text):
        return "links"
    if _ARCHIVE.match(text):
        return "archive"
    if _DISCLAIMER.search(text):
        return "disclaimer"
    if words <= 40 and _PROMO.search(text):
        return "promo"
    if words <= 40 and _COOKIE.search(text):
        return "cookie"
    if text.count("|") >= 2 and words <= 20:
        return "menu"
    return None


def is_list_header(line: str) -> bool:
    """True for the header of a list of other headlines ("My news", "Latest", "You may like")."""
    return bool(_LIST_HEADER.match(line.strip()))


def is_credit(line: str) -> bool:
    """True for a photo credit line ("© Agency/Photographer")."""
    text = line.strip()
    return len(text.split()) <= 15 and bool(_CREDIT.search(text))


def ends_sentence(line: str) -> bool:
    """True when a line ends like a sentence (C4's rule for body text, any script's sentence terminal)."""
    text = line.rstrip()
    if text.endswith(TERMINAL) or SENTENCE_TERMINAL.match(text[-1:]) is not None:
        return True
    return len(text) >= UNMARKED_PROSE and _UNMARKED_SCRIPT.match(text[-1:]) is not None


def line_words(text: str) -> int:
    """How many words a line holds: its space-parted words, a run of a script written without spaces counted as a
    word per two Chinese or Japanese characters, per five Thai, Lao, Khmer or Myanmar ones."""
    words = len(text.split())
    if text.isascii():
        return words
    for run in _UNSPACED_RUN.finditer(text):
        size = CJK_WORD_CHARS if run.group("cjk") else SOUTHEAST_WORD_CHARS
        words += max(0, len(run.group()) // size - 1)
    return words


def title_like(line: str, min_words: int = 3, max_words: int = 30) -> bool:
    """True for a line that could be a title or a crosshead: a few words (line_words), not ending in a full stop."""
    text = line.strip()
    words = line_words(text)
    if not min_words <= words <= max_words or len(text) > 250:
        return False
    if text.endswith((".", "…", "...", ",", ";")):
        return False
    return furniture_rule(text) is None
