"""Vietnamese alphabetical order on both databases: Đ after D (not after Z, where its
code point puts it), ă and â after a, tones after the letters (a, à, ả, ã, á, ạ).

PostgreSQL sorts with ICU's Vietnamese collation; SQLite, the database of `make run`,
with `sort_key` registered as a collation on each new connection (apps.py). The two
give the same order, which a test checks on both.
"""

import unicodedata

from django.db.models import CharField, Func

# Letters of the alphabet in order; a base letter with one of these marks is a letter
# of its own (ă, â, ê, ô, ơ, ư). đ has no decomposition and is listed as it is.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
COMPOSED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Tones: none, huyền, hỏi, ngã, sắc, nặng.
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
RANK = {letter: 100 + index for index, letter in enumerate(ALPHABET)}


def _primary(char: str) -> int:
    if char.isspace():
        return 1
    if char.isdigit():
        return 10 + int(char) if char in "0123456789" else 20
    if char in RANK:
        return RANK[char]
    if unicodedata.category(char).startswith(("P", "S")):
        return 2  # punctuation and symbols before digits and letters, as ICU puts them
    return 1000 + ord(char)


def sort_key(text: str) -> tuple:
    """Letters first, then tones, then case (ICU's primary, secondary and tertiary)."""
    letters, tones, cases = [], [], []
    for char in unicodedata.normalize("NFD", text or ""):
        if unicodedata.combining(char):
            if char in TONES and tones:
                tones[-1] = TONES[char]
            elif letters and (_base_of(letters[-1]), char) in COMPOSED:
                letters[-1] = RANK[COMPOSED[(_base_of(letters[-1]), char)]]
            continue
        lower = char.lower()
        letters.append(_primary(lower))
        tones.append(0)
        cases.append(0 if char == lower else 1)
    return tuple(letters), tuple(tones), tuple(cases)


def _base_of(rank: int) -> str:
    return ALPHABET[rank - 100] if 100 <= rank < 100 + len(ALPHABET) else ""


def compare(a: str, b: str) -> int:
    """SQLite's collation function."""
    key_a, key_b = sort_key(a), sort_key(b)
    return (key_a > key_b) - (key_a < key_b)


class Vietnamese(Func):
    """`order_by(Vietnamese("name"))`: the column in Vietnamese alphabetical order."""

    template = '%(expressions)s COLLATE "vi-x-icu"'
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="%(expressions)s COLLATE vietnamese", **extra_context
        )
