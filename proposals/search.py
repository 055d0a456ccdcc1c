"""Search that ignores Vietnamese diacritics and case.

Text is folded once, when an answer is published ("Chuyển đổi số" → "chuyen doi so"),
and queries are folded the same way. On PostgreSQL the folded text's tsvector is a
stored generated column, `search_vector`, with a GIN index (migration 0005; the model
does not declare it, so SQLite never sees it), and serves full-text search ranked by
relevance; other databases fall back to matching every word.
"""

import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "simple"  # no stemming: Vietnamese syllables are words already


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


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
