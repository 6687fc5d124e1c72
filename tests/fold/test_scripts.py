"""Reports in scripts the lead encoder cannot read reach their story through names and numbers (name keys)."""

from __future__ import annotations

from datetime import timedelta

from newsfold.fold.features.embed import UseEmbedder
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.store.db import Database
from tests.fold.conftest import fold_all
from tests.fold.incremental.test_folding import T0, article

ENGLISH = (
    "Zelensky visits Washington",
    "Ukrainian President Volodymyr Zelensky visits Washington, meets US President Joe Biden and addresses a joint "
    "session of Congress on 21 December 2022, his first trip abroad since the Russian invasion.",
)
GREEK = (
    "Ο Ζελένσκι στην Ουάσιγκτον",
    "Ο Πρόεδρος της Ουκρανίας Βολοντίμιρ Ζελένσκι επισκέπτεται την Ουάσιγκτον, συναντά τον Πρόεδρο Τζο Μπάιντεν και "
    "μιλά στο Κογκρέσο στις 21 Δεκεμβρίου 2022, στο πρώτο του ταξίδι στο εξωτερικό μετά τη ρωσική εισβολή.",
)
GEORGIAN = (
    "ზელენსკი ვაშინგტონში",
    "უკრაინის პრეზიდენტი ვოლოდიმირ ზელენსკი 2022 წლის 21 დეკემბერს ვაშინგტონს ესტუმრა, შეხვდა პრეზიდენტ ჯო ბაიდენს "
    "და სიტყვით გამოვიდა კონგრესში, რაც მისი პირველი უცხოური ვიზიტია რუსეთის შეჭრის შემდეგ.",
)
OTHER = (
    "Earthquake in Papua New Guinea",
    "A magnitude 7.6 earthquake strikes Papua New Guinea near the town of Kainantu, killing at least seven people "
    "and damaging roads and buildings across the highlands on 11 September 2022.",
)
OTHER_GREEK = (
    "Σεισμός στην Παπούα Νέα Γουινέα",
    "Σεισμός 7,6 Ρίχτερ πλήττει την Παπούα Νέα Γουινέα κοντά στην πόλη Καϊνάντου, σκοτώνοντας τουλάχιστον επτά "
    "ανθρώπους και προκαλώντας ζημιές σε δρόμους και κτίρια στα υψίπεδα στις 11 Σεπτεμβρίου 2022.",
)


def test_greek_and_georgian_reports_join_the_english_one(db: Database, folder: Folder) -> None:
    """The Greek and Georgian reports of Zelensky's visit join the English report; the earthquake stays apart,
    and its Greek report joins it, not the visit."""
    items = [
        article("en", *ENGLISH, when=T0),
        article("quake", *OTHER, when=T0 + timedelta(hours=1)),
        article("el", *GREEK, language="el", when=T0 + timedelta(hours=2)),
        article("ka", *GEORGIAN, language="ka", when=T0 + timedelta(hours=3)),
        article("quake-el", *OTHER_GREEK, language="el", when=T0 + timedelta(hours=4)),
    ]
    fold_all(db, folder, items)
    visit, quake, greek, georgian, quake_greek = (a.story_id for a in items)
    assert visit == greek == georgian
    assert quake == quake_greek != visit


def test_name_keys_survive_the_store(db: Database, embedder: UseEmbedder) -> None:
    """A folder started afresh reads the name keys of stored documents (after their band keys): a Georgian report
    folded by it still finds the English one another folder stored."""
    english = article("en", *ENGLISH, when=T0)
    fold_all(db, Folder(FoldSettings(), embedder=embedder), [english])
    later = Folder(FoldSettings(), embedder=embedder)
    georgian = article("ka", *GEORGIAN, language="ka", when=T0 + timedelta(hours=3))
    fold_all(db, later, [georgian])
    assert georgian.story_id == english.story_id
    assert later.index.slots[0].any()
