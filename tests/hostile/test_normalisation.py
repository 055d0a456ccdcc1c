"""Text typed or pasted decomposed (NFD) is stored composed (NFC), so that search,
sorting and duplicate checks see one text, whichever way it arrived."""

import json
import unicodedata

import pytest
from django.urls import reverse

from briefing.models.organisations import RoleCode
from briefing.platform.forms import nfc_data
from indicators.models import Submission
from proposals.models import Recommendation
from proposals.search import fold
from tests.conftest import make_user
from tests.hostile.conftest import NFC_TEXT, NFD_TEXT, post
from tests.hostile.test_proposals import _field_pk, _this_quarter
from tests.indicators.test_api import make_key
from tests.indicators.test_views import FULL

pytestmark = pytest.mark.django_db


def test_search_folding_is_the_same_for_both_forms():
    assert (
        fold(NFD_TEXT)
        == fold(NFC_TEXT)
        == "nghi dinh 47/2020/nd-cp ve quan ly, ket noi va chia se du lieu so"
    )


def test_a_decomposed_recommendation_is_stored_composed_and_found_either_way(client):
    client.force_login(make_user(RoleCode.PROVINCE_OFFICER))
    data = {
        "title": NFD_TEXT,
        "content": NFD_TEXT + " (bản dán từ PDF)",
        "field": _field_pk(),
        "channel": "briefing",
        "quarter": _this_quarter(),
    }
    response = post(client, reverse("proposals:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    rec = Recommendation.objects.get()
    assert rec.title == NFC_TEXT and unicodedata.is_normalized("NFC", rec.content)
    for query in (NFC_TEXT[:10], NFD_TEXT[:11]):
        found = client.get(reverse("proposals:list"), {"q": query}).context["page"]
        assert [r.pk for r in found] == [rec.pk], query


def test_the_api_stores_a_decomposed_comment_composed(client):
    key = make_key(make_user(RoleCode.PROVINCE_LEADER))
    body = {
        "period": "Q3-2020",
        "unit": "CUC-THH",
        "values": {code: int(value) for code, value in FULL.items()},
        "comment": NFD_TEXT,
    }
    response = client.post(
        "/api/v1/indicators/reports/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201, response.content
    assert Submission.objects.get().warning_comment in ("", NFC_TEXT)


def test_form_data_is_composed_and_ascii_left_alone():
    data = nfc_data({"a": NFD_TEXT, "b": "plain", "c": 3})
    assert data == {"a": NFC_TEXT, "b": "plain", "c": 3}
