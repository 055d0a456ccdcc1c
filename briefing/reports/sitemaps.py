"""The sitemap section of the quarters' briefing pages (briefing/urls.py): a quarter has
a page once it has a briefing session or a report."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from briefing.models.reports import ReportSnapshot
from briefing.models.sessions import BriefingSession


class BriefingSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[tuple[int, int, object]]:
        """(year, quarter, time of the latest report or None), newest quarter first."""
        reported = {
            (year, quarter): latest
            for year, quarter, latest in ReportSnapshot.objects.values("year", "quarter")
            .annotate(latest=Max("created_at"))
            .values_list("year", "quarter", "latest")
            .order_by()
        }
        quarters = set(reported) | set(BriefingSession.objects.values_list("year", "quarter"))
        return [(y, q, reported.get((y, q))) for y, q in sorted(quarters, reverse=True)]

    def location(self, item):
        year, quarter, _latest = item
        return reverse("briefings:detail", args=[year, quarter])

    def lastmod(self, item):
        return item[2]

    def get_latest_lastmod(self):
        return max((item[2] for item in self.items() if item[2]), default=None)
