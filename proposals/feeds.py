from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models.functions import Coalesce
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from briefing.organisations.selectors import ministry_name_on
from proposals.models import Answer


class LatestAnswersFeed(Feed):
    """Atom feed of published answers, newest (or newest updated) first."""

    feed_type = Atom1Feed
    title = _("Answers to recommendations")
    subtitle = _("Answers of the Ministry to recommendations of provincial departments")
    link = reverse_lazy("answers:list")

    def author_name(self):
        """The feed's author, which Atom requires (RFC 4287, 4.1.1): the ministry."""
        return ministry_name_on() or str(settings.PORTAL_NAME)

    def items(self):
        return (
            Answer.objects.filter(published_at__isnull=False)
            .select_related("recommendation__field")
            .annotate(changed=Coalesce("republished_at", "published_at"))
            .order_by("-changed")[:50]
        )

    def item_title(self, item):
        return f"{item.recommendation.code}: {item.recommendation.title}"

    def item_description(self, item):
        return item.published_text

    def item_link(self, item):
        return reverse("answers:detail", args=[item.recommendation.code])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.changed

    def item_categories(self, item):
        return [item.recommendation.field.name]
