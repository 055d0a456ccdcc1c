"""GET /api/v1/briefings/<year>-q<n>/: the quarter's report from its latest snapshot,
for everyone; 404 without a snapshot, 400 for a malformed quarter."""

from briefing.reports.rollup import report_rollup


def test_the_report_of_a_quarter_as_json(client, db):
    snapshot, _created = report_rollup(year=2020, quarter=3)
    response = client.get("/api/v1/briefings/2020-q3/")
    assert response.status_code == 200
    body = response.json()
    assert body["quarter"] == "2020-q3" and body["version"] == snapshot.version
    assert body["url"].endswith("/briefings/2020-q3/")
    assert body["report"]["recommendations"] == snapshot.data["recommendations"]
    assert body["as_of"] == snapshot.data["as_of"]


def test_no_snapshot_is_404_and_a_malformed_quarter_400(client, db):
    missing = client.get("/api/v1/briefings/2019-q1/")
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "not_found"
    for bad in ("2020-q5", "2020-3", "q3-2020", "2020-Q3x"):
        response = client.get(f"/api/v1/briefings/{bad}/")
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["field"] == "quarter"
