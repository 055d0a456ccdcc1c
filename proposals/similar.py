"""Earlier recommendations most like a new one, so that a department sees what was
asked (and answered) before it writes, and the Ministry Office marks a duplicate by
choosing it.

Texts are compared folded (proposals.search.fold: no diacritics, lower case), because
departments write "chuyển đổi số" and "chuyen doi so" alike. PostgreSQL ranks by
trigram similarity (pg_trgm, migration 0010) of the title and of the start of the
content; SQLite, the database of `make run`, by the words the texts share, over the
latest recommendations of the same field and those whose title holds one of the
text's rarest words, so that it stays fast on any number of rows.
"""

import math
import re
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Exists, OuterRef, Q, TextField, Value
from django.db.models.functions import Greatest, Left

from proposals.models import Answer, Field, Recommendation, Status
from proposals.permissions import visible_recommendations
from proposals.search import FOLDED_DOCUMENT, FOLDED_TITLE, FoldedColumn, fold

LIMIT = 5
# How much of the content is compared: the question is in its first lines, and a
# bounded length keeps the comparison's cost independent of long attachments' texts.
CONTENT_CHARS = 1000
# Below this a "similar" one shares only common words and syllables.
MIN_SCORE = 0.25
# How many rows are compared by their content at most.
CANDIDATES = 200
# Statuses that are not a question on their own: not sent, taken back, or merged into
# the original (which is offered instead).
NOT_OFFERED = (Status.DRAFT, Status.WITHDRAWN, Status.MERGED)
WORD = re.compile(r"\w+")


@dataclass
class Similar:
    recommendation: Recommendation
    score: float
    # The answer the public may read (linked to its public page), if any.
    published: bool
    # Whether the reader may open the staff page of the recommendation.
    visible: bool

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similar_recommendations(
    user, *, title: str, content: str, field: Field | None = None, exclude=None, limit=LIMIT
) -> list[Similar]:
    """The `limit` recommendations most like `title` and `content` that `user` may know
    of: those they may open, and every published answer (which the public reads)."""
    # Without NUL characters, which PostgreSQL refuses in a query (any caller's text).
    title_f = fold((title or "").replace("\x00", ""))
    content_f = fold((content or "").replace("\x00", ""))[:CONTENT_CHARS]
    if len(WORD.findall(f"{title_f} {content_f}")) < 2:
        return []
    visible_ids = visible_recommendations(user).values("pk")
    published = Answer.objects.filter(recommendation=OuterRef("pk"), published_at__isnull=False)
    candidates = (
        Recommendation.objects.filter(Q(pk__in=visible_ids) | Q(Exists(published)))
        .exclude(status__in=NOT_OFFERED)
        .annotate(
            has_published=Exists(published),
            is_visible=Exists(visible_ids.filter(pk=OuterRef("pk"))),
        )
        .select_related("submitting_organisation", "field", "responsible_unit")
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    if connection.vendor == "postgresql":
        ranked = _by_trigrams(candidates, title_f, content_f, limit)
    else:
        ranked = _by_shared_words(candidates, title_f, content_f, field, limit)
    return [
        Similar(rec, score, published=rec.has_published, visible=rec.is_visible)
        for rec, score in ranked
    ]


def _text(value: str) -> Value:
    return Value(value, output_field=TextField())


def _by_trigrams(candidates, title_f: str, content_f: str, limit: int):
    # "%" (similarity above pg_trgm's threshold, 0.3) on the folded title uses the
    # trigram index of migration 0010 (the same expression); only the nearest titles
    # are then compared by their content, which no index can narrow: departments'
    # texts share too many phrases ("đề nghị Bộ xem xét").
    folded_title = FoldedColumn(FOLDED_TITLE)
    title_score = TrigramSimilarity(folded_title, _text(title_f))
    nearest = (
        candidates.filter(TrigramSimilar(folded_title, _text(title_f)))
        .annotate(title_score=title_score)
        .order_by("-title_score", "-pk")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    # The document column starts with the code, then the title and the content.
    content_score = TrigramSimilarity(
        Left(FoldedColumn(FOLDED_DOCUMENT), CONTENT_CHARS),
        _text(f"{title_f} {content_f}"[:CONTENT_CHARS]),
    )
    rows = (
        candidates.filter(pk__in=list(nearest))
        .annotate(score=Greatest(title_score, (title_score + content_score * 2) / 3))
        .filter(score__gte=MIN_SCORE)
        .order_by("-score", "-pk")[:limit]
    )
    return [(rec, rec.score) for rec in rows]


def _words(text: str) -> set[str]:
    return {word for word in WORD.findall(text) if len(word) > 1}


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = WORD.findall(text)
    return set(zip(words, words[1:], strict=False))


def _overlap(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _by_shared_words(candidates, title_f: str, content_f: str, field, limit: int):
    """Word and word-pair overlap (cosine of the sets): Vietnamese words are syllables,
    so the pairs ("truyen thanh", "chuyen doi") carry most of the meaning."""
    # The longest words of the title are the least common ones: a recommendation that
    # shares none of them and is of another field is not a near-duplicate.
    rare = sorted(_words(title_f), key=len, reverse=True)[:4]
    near = Q()
    for word in rare:
        near |= Q(folded_title__contains=word)
    if field is not None:
        near |= Q(field=field)
    rows = (
        candidates.alias(folded_title=FoldedColumn(FOLDED_TITLE))
        .filter(near)
        .order_by("-pk")
        .defer("content")
        .annotate(start=Left("content", CONTENT_CHARS))[:CANDIDATES]
    )
    text = f"{title_f} {content_f}"
    words, pairs, title_words = _words(text), _bigrams(text), _words(title_f)
    scored = []
    for rec in rows:
        other_title = fold(rec.title)
        other = f"{other_title} {fold(rec.start)}"
        score = max(
            _overlap(title_words, _words(other_title)),
            (_overlap(words, _words(other)) + 2 * _overlap(pairs, _bigrams(other))) / 3,
        )
        if score >= MIN_SCORE:
            scored.append((rec, score))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored[:limit]
