from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from proposals.models import Answer


class PublicPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "answers:list"]

    def location(self, item):
        return reverse(item)


class AnswerSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (
            Answer.objects.filter(published_at__isnull=False)
            .select_related("recommendation")
            .order_by("pk")
        )

    def location(self, item):
        return reverse("answers:detail", args=[item.recommendation.code])

    def lastmod(self, item):
        return item.republished_at or item.published_at
