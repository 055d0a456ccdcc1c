"""The sitemap section of the public indicator pages (briefing/urls.py)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from indicators import selectors
from indicators.models import Indicator


class IndicatorSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # Without approved figures an indicator's page is a 404.
        if not selectors.periods_with(selectors.PUBLIC_STATUSES).exists():
            return Indicator.objects.none()
        return Indicator.objects.filter(is_public=True).only("code").order_by("code")

    def location(self, item):
        return reverse("indicators:detail", args=[item.code])
