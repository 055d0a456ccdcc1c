"""Machines reading the public site: /sitemap.xml is an index over the sections, every
published answer is in exactly one page of the answers' section, /robots.txt points to
the index, and the Atom feed names its author."""

import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefing.models.sessions import BriefingSession
from briefing.organisations.selectors import ministry_name_on
from proposals.models import Status
from proposals.sitemaps import AnswerSitemap
from tests.indicators.conftest import load
from tests.proposals.conftest import bring_to

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM = "{http://www.w3.org/2005/Atom}"


def _xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (the portal's own response)


def _index(client) -> dict:
    """{section url (path and query): lastmod text or None} of /sitemap.xml."""
    root = _xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    found = {}
    for entry in root.findall("sm:sitemap", NS):
        loc = re.sub(r"^https?://[^/]+", "", entry.find("sm:loc", NS).text)
        lastmod = entry.find("sm:lastmod", NS)
        found[loc] = lastmod.text if lastmod is not None else None
    return found


def _urls(client, url) -> list[tuple[str, str | None]]:
    root = _xml(client, url)
    return [
        (
            re.sub(r"^https?://[^/]+", "", entry.find("sm:loc", NS).text),
            getattr(entry.find("sm:lastmod", NS), "text", None),
        )
        for entry in root.findall("sm:url", NS)
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_every_published_answer_is_in_one_page_of_the_index(client, people, monkeypatch):
    monkeypatch.setattr(AnswerSitemap, "limit", 2)
    recs = [bring_to(Status.PUBLISHED, people, title=f"Kiến nghị {n}") for n in range(5)]
    waiting = bring_to(Status.ANSWER_APPROVED, people, title="Chưa công bố")

    index = _index(client)
    answer_pages = sorted(url for url in index if url.startswith("/sitemap-answers.xml"))
    assert answer_pages == [
        "/sitemap-answers.xml",
        "/sitemap-answers.xml?p=2",
        "/sitemap-answers.xml?p=3",
    ]
    assert {"/sitemap-pages.xml", "/sitemap-indicators.xml", "/sitemap-briefings.xml"} <= set(index)
    assert all(index[url] for url in answer_pages)  # the answers' latest change

    listed = [entry for url in answer_pages for entry in _urls(client, url)]
    codes = [loc.split("/")[2] for loc, _lastmod in listed]
    assert sorted(codes) == sorted(rec.code for rec in recs)  # each once
    assert waiting.code not in codes
    assert all(lastmod for _loc, lastmod in listed)
    assert client.get("/sitemap-answers.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_sections_list_the_pages_indicators_and_briefings(client, people):
    bring_to(Status.PUBLISHED, people)
    assert _urls(client, "/sitemap-indicators.xml") == []  # no approved figures yet
    load(people["office"], "Q3/2020", "CUC-BC", {"T63-01": {"QH_BAOCHI": 1}})
    indicators = [loc for loc, _ in _urls(client, "/sitemap-indicators.xml")]
    assert "/indicators/QH_BAOCHI/" in indicators
    assert client.get("/indicators/QH_BAOCHI/").status_code == 200

    BriefingSession.objects.create(year=2020, quarter=3)
    briefings = [loc for loc, _ in _urls(client, "/sitemap-briefings.xml")]
    assert briefings == ["/briefings/2020-q3/"]
    assert client.get(briefings[0]).status_code == 200

    pages = [loc for loc, _ in _urls(client, "/sitemap-pages.xml")]
    assert {"/", "/answers/", "/indicators/", "/briefings/", "/api/docs/"} <= set(pages)


def test_sitemap_queries_do_not_grow_with_answers(client, people, monkeypatch):
    monkeypatch.setattr(AnswerSitemap, "limit", 3)
    bring_to(Status.PUBLISHED, people, title="Kiến nghị đầu")
    client.get("/sitemap.xml")
    few = (
        _queries(client, "/sitemap.xml"),
        _queries(client, "/sitemap-answers.xml"),
    )
    for n in range(6):
        bring_to(Status.PUBLISHED, people, title=f"Kiến nghị thêm {n}")
    many = (
        _queries(client, "/sitemap.xml"),
        _queries(client, "/sitemap-answers.xml"),
        _queries(client, "/sitemap-answers.xml?p=3"),
    )
    assert many == (*few, few[1])


def test_robots_txt_points_to_the_index_and_keeps_out_of_staff_areas(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for staff_area in ("/admin/", "/accounts/", "/proposals/", "/workspace/", "/answers/track/"):
        assert f"Disallow: {staff_area}" in lines
    assert not any(line in {"Disallow: /", "Disallow: /answers/"} for line in lines)


def test_the_atom_feed_names_its_author(client, people):
    bring_to(Status.PUBLISHED, people)
    content = client.get("/answers/feed/").content
    feed = feedparser.parse(content)
    assert feed.bozo == 0, feed.bozo_exception
    name = ministry_name_on()
    assert name and feed.feed.author_detail.name == name
    # RFC 4287 4.1.1: the feed element itself has an atom:author with an atom:name.
    root = ET.fromstring(content)  # noqa: S314 (the portal's own response)
    assert root.find(f"{ATOM}author/{ATOM}name").text == name
