"""Search that ignores Vietnamese diacritics and case.

Text is folded once, when an answer is published ("Chuyển đổi số" → "chuyen doi so"),
and queries are folded the same way. On PostgreSQL a GIN index over the folded text
serves full-text search ranked by relevance; other databases fall back to matching
every word.
"""

import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, Value

SEARCH_CONFIG = "simple"  # no stemming: Vietnamese syllables are words already


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def search(answers, text: str):
    """Filter `answers` (an Answer queryset) by `text`, best matches first."""
    words = fold(text).split()
    if not words:
        return answers
    if connection.vendor == "postgresql":
        vector = SearchVector("search_text", config=SEARCH_CONFIG)
        query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
        # Filtering on the same expression as the GIN index lets PostgreSQL use it.
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
