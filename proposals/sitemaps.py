"""The sitemap sections of the public pages that proposals owns: the static pages and
every published answer (paginated; briefing/urls.py gathers the sections into the
index at /sitemap.xml)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse

from proposals.models import Answer

# Answers per sitemap page: the protocol allows 50,000 URLs and 50 MB per file; a page
# of 5,000 stays small and quick to build.
ANSWERS_PER_PAGE = 5000


class PublicPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "answers:list",
            "indicators:dashboard",
            "briefings:list",
            "api_docs",
        ]

    def location(self, item):
        return reverse(item)


def _changed():
    return Coalesce("republished_at", "published_at")


class AnswerSitemap(Sitemap):
    """Every published answer once, in the order of its id (a new answer goes to the
    end, so the pages before it keep their contents)."""

    changefreq = "monthly"
    limit = ANSWERS_PER_PAGE

    def items(self):
        return (
            Answer.objects.filter(published_at__isnull=False)
            .select_related("recommendation")
            .only("pk", "published_at", "republished_at", "recommendation__code")
            .order_by("pk")
        )

    def location(self, item):
        return reverse("answers:detail", args=[item.recommendation.code])

    def lastmod(self, item):
        return item.republished_at or item.published_at

    def get_latest_lastmod(self):
        """For the index: one query (Django's default reads every answer)."""
        return Answer.objects.filter(published_at__isnull=False).aggregate(latest=Max(_changed()))[
            "latest"
        ]
