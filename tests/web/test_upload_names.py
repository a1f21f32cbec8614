"""Names sent by a browser become safe file names on disk, and stay as sent in the report."""
from __future__ import annotations

import pytest

from curriclint.web.uploads import clean_part, display_name


@pytest.mark.parametrize("sent, shown", [
    ("deck.pptx", "deck.pptx"),
    ("C:\\Users\\dean\\Week 1\\deck.pptx", "deck.pptx"),  # old browsers send the whole path
    ("../../etc/passwd", "passwd"),
    ("bad\x00name\x1b.txt", "badname.txt"),
    ("", "unnamed file"),
    (None, "unnamed file"),
])
def test_display_name_is_the_files_own_name(sent, shown):
    assert display_name(sent) == shown


@pytest.mark.parametrize("name, cleaned", [
    ("Week 1 – Renal.pptx", "Week 1 _ Renal.pptx"),
    ("Лекция 3.pptx", "Лекция 3.pptx"),  # secure_filename would leave only "pptx"
    ("محاضرة.docx", "محاضرة.docx"),
    ("a<b>:c|d?.pdf", "a_b__c_d_.pdf"),
    ("..", "_"),
    (".", "_"),
    ("CON.txt", "_CON.txt"),
    ("notes. ", "notes"),
    (".curriclintignore", ".curriclintignore"),
])
def test_clean_part_is_safe_and_keeps_letters_and_extension(name, cleaned):
    assert clean_part(name) == cleaned


def test_clean_part_shortens_long_names_but_keeps_the_extension():
    cleaned = clean_part("x" * 300 + ".pptx")
    assert cleaned.endswith(".pptx") and len(cleaned) == 120
