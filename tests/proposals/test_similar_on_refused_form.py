"""A refused recommendation form shows, without JavaScript, the similar list the check
button would for the title and content typed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals.models import Status
from tests.proposals.conftest import bring_to
from tests.proposals.test_views import form_data

pytestmark = pytest.mark.django_db

RADIO = "Đề nghị hướng dẫn tiêu chuẩn kỹ thuật đài truyền thanh cấp xã ứng dụng CNTT"
RADIO_TEXT = "Sở đề nghị Bộ ban hành tiêu chuẩn kỹ thuật cho đài truyền thanh cấp xã."
# Too short to save: the form is refused and re-rendered.
SHORT = "Ngắn"


def _listed(html: str) -> list[str]:
    block = re.search(r"<div[^>]*data-similar-results>(.*?)</section>", html, re.DOTALL).group(1)
    return re.findall(r'data-similar-item="([^"]+)"', block)


def _radio(people, title=RADIO):
    return bring_to(Status.SUBMITTED, people, title=title, content=RADIO_TEXT)


def test_a_refused_form_lists_the_similar_ones(client, people):
    near = _radio(people)
    client.force_login(people["province"])
    response = client.post("/proposals/new/", form_data(title=RADIO, content=SHORT, save="1"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nội dung quá ngắn" in html  # the error stays next to its field
    assert _listed(html) == [near.code]
    assert f'value="{RADIO}"' in html  # and what was typed is kept


def test_a_wrong_quarter_lists_them_too(client, people):
    near = _radio(people)
    client.force_login(people["province"])
    data = form_data(title=RADIO, content=RADIO_TEXT, quarter="1999-1", save="1")
    response = client.post("/proposals/new/", data)
    assert response.status_code == 400
    assert _listed(response.content.decode()) == [near.code]


def test_no_list_without_a_match(client, people):
    _radio(people)
    client.force_login(people["province"])
    data = form_data(
        title="Kiến nghị về cấp phép tần số vô tuyến điện cho tàu cá", content=SHORT, save="1"
    )
    html = client.post("/proposals/new/", data).content.decode()
    assert _listed(html) == []
    assert "data-similar-list" not in html and "data-similar-none" not in html


def test_a_nul_character_typed_is_refused_not_a_server_error(client, people):
    near = _radio(people)
    client.force_login(people["province"])
    response = client.post("/proposals/new/", form_data(title=f"{RADIO}\x00", save="1"))
    assert response.status_code == 400
    assert _listed(response.content.decode()) == [near.code]


def test_no_list_on_the_empty_form(client, people):
    _radio(people)
    client.force_login(people["province"])
    html = client.get("/proposals/new/").content.decode()
    assert "data-similar-list" not in html and "data-similar-none" not in html


def test_the_edited_one_is_not_similar_to_itself(client, people):
    near = _radio(people)
    own = bring_to(Status.DRAFT, people, title=RADIO, content=RADIO_TEXT)
    client.force_login(people["province"])
    response = client.post(f"/proposals/{own.pk}/edit/", form_data(title=RADIO, content=SHORT))
    assert response.status_code == 400
    assert _listed(response.content.decode()) == [near.code]


def test_another_department_sees_none_of_the_unpublished_ones(client, people):
    _radio(people)
    client.force_login(people["other_province"])
    data = form_data(title=RADIO, content=SHORT, quarter="1999-1", save="1")
    assert _listed(client.post("/proposals/new/", data).content.decode()) == []


def _queries(client, data) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.post("/proposals/new/", data).status_code == 400
    return len(ctx.captured_queries)


def test_the_refused_page_takes_as_many_queries_for_one_similar_row_as_for_four(client, people):
    _radio(people)
    client.force_login(people["province"])
    data = form_data(title=RADIO, content=SHORT, save="1")
    _queries(client, data)  # warms the session and caches
    one = _queries(client, data)
    for suffix in ("cấp huyện", "cấp tỉnh", "vùng sâu"):
        _radio(people, title=f"{RADIO} {suffix}")
    html = client.post("/proposals/new/", data).content.decode()
    assert len(_listed(html)) == 4
    assert _queries(client, data) == one
