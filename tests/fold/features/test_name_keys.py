"""Name keys: names and numbers of any script as ASCII keys, so reports in scripts the encoder cannot read meet."""

from __future__ import annotations

import numpy as np

from newsfold.fold.features.features import key_slots
from newsfold.fold.features.text import NAME_KEYS, name_keys, skeleton

ENGLISH = "President Volodymyr Zelensky met Joe Biden in Washington on 21 December 2022."
GREEK = "Ο Πρόεδρος Βολοντίμιρ Ζελένσκι συναντήθηκε με τον Τζο Μπάιντεν στην Ουάσιγκτον στις 21 Δεκεμβρίου 2022."
GEORGIAN = "ვოლოდიმირ ზელენსკი შეხვდა ჯო ბაიდენს ვაშინგტონში 2022 წლის 21 დეკემბერს."
TAMIL = "வோலோடிமிர் ஜெலென்ஸ்கி ஜோ பைடனை வாஷிங்டனில் சந்தித்தார்."


def test_reports_in_other_scripts_share_keys_with_english() -> None:
    """Greek (a cased script: its capitalised words), Georgian and Tamil (never capitalised: every word) meet the
    English report on the name, its skeleton or the numbers."""
    english = set(name_keys(ENGLISH))
    assert {"selenski", "~slnsk", "#2022", "#21"} <= english
    assert {"selenski", "~slnsk", "#2022"} <= set(name_keys(GREEK))
    assert {"volodimir", "selenski", "#2022"} <= set(name_keys(GEORGIAN))
    assert {"~fltmr", "~btn"} <= set(name_keys(TAMIL))


def test_words_the_text_writes_in_lower_case_are_not_names() -> None:
    """A sentence-start word also written in lower case is no name; lower-case words of a cased script neither."""
    keys = name_keys("After the vote, the minister resigned. after all, Merkel said.")
    assert keys == ("merkel", "~mrkl")


def test_keys_are_capped_and_slots_hash_them() -> None:
    """At most NAME_KEYS keys, in order; slots are stable non-zero hashes, zero where a text has fewer keys."""
    text = " ".join(f"Name{chr(97 + i)}x{chr(97 + i)}" for i in range(26))
    assert len(name_keys(text)) == NAME_KEYS
    slots = key_slots([name_keys(ENGLISH), (), ("selenski",)])
    assert slots.shape == (3, NAME_KEYS) and slots.dtype == np.uint64
    assert np.all(slots[1] == 0) and slots[2, 0] != 0 and np.all(slots[2, 1:] == 0)
    assert slots[2, 0] in slots[0]


def test_skeleton_merges_voiced_consonants() -> None:
    """Consonants only (the first letter kept), voiced and voiceless merged, repeats dropped."""
    assert skeleton("biden") == skeleton("paitn") == "btn"
    assert skeleton("selenski") == "slnsk"
