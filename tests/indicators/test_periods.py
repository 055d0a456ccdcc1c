"""The office's page that locks and reopens reporting periods."""

import pytest

from indicators.models import Event
from tests.confirmation import confirmed
from tests.conftest import count_queries
from tests.indicators.conftest import load, period, stored

PAGE = "/indicators/periods/"
LOCK = "/indicators/periods/Q3-2020/lock/"
REOPEN = "/indicators/periods/Q3-2020/reopen/"


def test_the_office_locks_then_reopens_with_a_reason(client, people):
    client.force_login(people["office"])
    assert 'data-period="Q3-2020">' in client.get(PAGE).content.decode()

    assert client.post(LOCK, confirmed({f"p{period('Q3/2020').pk}-note": ""})).status_code == 302
    assert period("Q3/2020").is_locked
    page = client.get(PAGE).content.decode()
    assert 'data-period="Q3-2020" data-locked' in page

    pk = period("Q3/2020").pk
    before = stored()
    refused = client.post(REOPEN, {f"p{pk}-note": "   "})
    assert refused.status_code == 400
    assert "Trường này là bắt buộc." in refused.content.decode()
    assert period("Q3/2020").is_locked
    assert stored() == before

    reason = "Sở Ninh Bình đề nghị sửa số liệu dịch vụ công"
    assert client.post(REOPEN, {f"p{pk}-note": reason}).status_code == 302
    assert not period("Q3/2020").is_locked
    history = list(Event.objects.filter(period__pk=pk).values_list("action", "note"))
    assert history == [("lock", ""), ("unlock", reason)]
    assert reason in client.get(PAGE).content.decode()


def test_locking_a_locked_period_says_so(client, people):
    client.force_login(people["office"])
    client.post(LOCK, confirmed())
    before = stored()
    again = client.post(LOCK, confirmed())
    assert again.status_code == 400
    assert "Kỳ báo cáo đã được khóa." in again.content.decode()
    assert Event.objects.filter(action="lock").count() == 1
    assert stored() == before


@pytest.mark.parametrize("who", ["province", "officer"])
def test_only_the_office_manages_periods(client, people, who):
    client.force_login(people[who])
    before = stored()
    assert client.get(PAGE).status_code == 403
    assert client.post(LOCK).status_code == 403
    assert not period("Q3/2020").is_locked
    assert stored() == before
    client.logout()
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")


def test_unknown_periods_and_actions_are_404(client, people):
    client.force_login(people["office"])
    before = stored()
    assert client.post("/indicators/periods/Q9-2020/lock/").status_code == 404
    assert client.post("/indicators/periods/Q3-2020/delete/").status_code == 404
    assert stored() == before


def test_the_page_queries_do_not_grow_with_reports_and_history(client, people):
    client.force_login(people["office"])
    few = count_queries(client, PAGE)
    load(people["office"], "Q3/2020", "CUC-BC", {"T63-01": {"QH_BAOCHI": 1}})
    load(people["office"], "Q2/2020", "CUC-BC", {f"T63-0{n}": {"QH_BAOCHI": 1} for n in (2, 4)})
    for _ in range(3):
        client.post(LOCK, confirmed())
        client.post(REOPEN, {f"p{period('Q3/2020').pk}-note": "Sửa số liệu"})
    assert count_queries(client, PAGE) == few
