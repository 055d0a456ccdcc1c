"""Search that ignores Vietnamese diacritics and case.

Text is folded once, when an answer is published ("Chuyển đổi số" → "chuyen doi so"),
and queries are folded the same way. On PostgreSQL the folded text's tsvector is a
stored generated column, `search_vector`, with a GIN index (migration 0005; the model
does not declare it, so SQLite never sees it), and serves full-text search ranked by
relevance; other databases fall back to matching every word.

Recommendations (the staff's worklist, proposals.similar) are folded by the database:
on PostgreSQL into stored generated columns, TRANSLATE over the Vietnamese letters, with
trigram indexes (migration 0010; the model does not declare them either); SQLite folds
as it reads, with `fold` itself, registered on each connection (apps.py).
"""

import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.expressions import Col, RawSQL
from django.db.models.functions import Concat

SEARCH_CONFIG = "simple"  # no stemming: Vietnamese syllables are words already


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def _vietnamese_letters() -> str:
    """Every letter with a diacritic Vietnamese writes, both cases: a vowel (a, ă, â, e,
    ê, i, o, ô, ơ, u, ư, y) with or without one of the five tones, and đ."""
    vowels = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones} | {"đ"}
    letters = {letter for letter in letters if letter != fold(letter)}
    return "".join(sorted(letters | {letter.upper() for letter in letters}))


_FROM = _vietnamese_letters()
_TO = "".join(fold(letter) for letter in _FROM)
SQLITE_FOLD = "giaoban_fold"


def register_fold_for_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD, 1, _fold_or_none, deterministic=True)


def _fold_or_none(text):
    return None if text is None else fold(text)


def postgresql_fold_sql(column_sql: str) -> str:
    """The SQL of a generated column folding `column_sql` (migration 0010). Stored text
    is NFC (briefing.platform.forms), so one letter is one character."""
    return f"TRANSLATE(LOWER({column_sql}), '{_FROM}', '{_TO}')"


# Generated columns of proposals_recommendation (migration 0010) and what they fold.
FOLDED_TITLE = "title_folded"
FOLDED_DOCUMENT = "search_folded"
FOLDED_SOURCES = {
    FOLDED_TITLE: "title",
    FOLDED_DOCUMENT: "code || ' ' || title || ' ' || content",
}


class FoldedColumn(Func):
    """A recommendation's text as `fold` writes it (without collapsing spaces): on
    PostgreSQL the stored column, under the alias the query gives the table; on SQLite
    the text folded as it is read."""

    output_field = TextField()

    def __init__(self, column: str, **extra):
        self.column = column
        if column == FOLDED_TITLE:
            source = F("title")
        else:
            source = Concat(
                "code", Value(" "), "title", Value(" "), "content", output_field=TextField()
            )
        super().__init__(source, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        # The source's column names the table's alias in this query ("U0" in a subquery).
        column = next(e for e in self.get_source_expressions()[0].flatten() if isinstance(e, Col))
        column_sql, params = compiler.compile(column)
        return f'{column_sql.rsplit(".", 1)[0]}."{self.column}"', params

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function=SQLITE_FOLD, **extra_context)


def recommendations_matching(recommendations, text: str):
    """Recommendations whose code, title or content holds `text`, with or without
    diacritics ("truyen thanh" finds "truyền thanh"). The words as a phrase, as the
    worklist always searched: a syllable alone ("so") is in nearly every text."""
    phrase = fold(text)
    if not phrase:
        return recommendations
    document = FoldedColumn(FOLDED_DOCUMENT)
    return recommendations.alias(folded_document=document).filter(folded_document__contains=phrase)


def search_text(rec, answer) -> str:
    """What a search of the public answers reads, folded: the code, title and question
    of the recommendation and the published answer (stored when it is published)."""
    return fold(" ".join([rec.code, rec.title, rec.content, answer.published_text]))


def search(answers, text: str):
    """Filter `answers` (an Answer queryset) by `text`, best matches first."""
    words = fold(text).split()
    if not words:
        return answers
    if connection.vendor == "postgresql":
        table = answers.model._meta.db_table
        # The stored column of migration 0005; the table name is the model's own.
        column = f'"{table}"."search_vector"'
        vector = RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611
        query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
        return (
            answers.alias(document=vector)
            .filter(document=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", F("published_at").desc())
        )
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return answers.filter(condition).annotate(rank=Value(1.0)).order_by("-published_at")
