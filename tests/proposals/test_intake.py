"""The Ministry Office's intake of recommendations from the public that did not come
through the portal's form: the form for a letter, a call or an e-mail, and the national
portal's export (Excel or CSV) imported every row or none. Pages are read in English
(the language cookie) so the checks do not depend on the catalogue."""

import datetime
import io
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from briefing.models.platform import OutboxMessage
from proposals import importing, workflow
from proposals.models import Attachment, Event, Field, PublicSubmission, Recommendation, Status
from proposals.services import public_intake, recommendations
from proposals.tasks import notify_event
from tests.proposals.conftest import bring_to
from tests.proposals.test_attachments import pdf_bytes

pytestmark = pytest.mark.django_db

INTAKE_URL = "/proposals/intake/"
IMPORT_URL = "/proposals/intake/import/"
TEMPLATE_URL = "/proposals/intake/template.xlsx"
HEADERS = [header for _name, header in importing.INTAKE_COLUMNS]
TITLE = "Tin nhắn rác quảng cáo gửi liên tục"
CONTENT = "Tôi nhận hàng chục tin nhắn rác mỗi ngày, đề nghị Bộ xử lý nhà mạng."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(client, people):
    client.force_login(people["office"])
    client.cookies["giaoban_language"] = "en"
    return people["office"]


def english(errors) -> str:
    with translation.override("en"):
        return " ".join(str(e) for e in errors)


def letter(**changes) -> dict:
    data = {
        "received_via": "letter",
        "received_on": "07/09/2020",
        "reference": "123/VP-TN",
        "sender_kind": "citizen",
        "name": "Trần Thị Mai",
        "email": "tran.mai@example.vn",
        "phone": "0912 345 678",
        "address": "12 Lê Lợi, Huế",
        "field": Field.objects.get(code="VT").pk,
        "title": TITLE,
        "content": CONTENT,
        "submission_key": str(uuid.uuid4()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def nothing_saved():
    assert not Recommendation.objects.filter(source_kind__in=["citizen", "enterprise"]).exists()
    assert PublicSubmission.objects.count() == 0
    assert Attachment.objects.count() == 0


# --- the service ----------------------------------------------------------------------


def sender(email="tran.mai@example.vn"):
    return public_intake.Sender(kind="citizen", name="Trần Thị Mai", email=email)


def question(title=TITLE):
    return public_intake.Question(field=Field.objects.get(code="VT"), title=title, content=CONTENT)


def test_a_registered_letter_is_submitted_in_the_quarter_it_arrived(people):
    rec = public_intake.intake_register(
        actor=people["office"],
        sender=sender(),
        question=question(),
        received_via="letter",
        received_on=datetime.date(2020, 8, 20),
        note="123/VP-TN",
    )
    assert rec.status == Status.SUBMITTED
    assert (rec.period_year, rec.period_quarter) == (2020, 3)
    assert rec.code.startswith("KN-2020-Q3-")
    assert rec.submitted_by == people["office"]
    submission = rec.public_submission
    assert submission.received_via == "letter" and submission.confirmed_at is not None
    event = Event.objects.get(recommendation=rec)
    assert (event.action, event.note) == ("register", "123/VP-TN")
    # The sender is told by e-mail, with the status page's link.
    for message in OutboxMessage.objects.filter(task="proposals.notify_event"):
        notify_event.apply(kwargs=message.kwargs)
    assert [m.to for m in mail.outbox] == [["tran.mai@example.vn"]]
    assert f"/answers/track/{submission.token}/" in mail.outbox[0].body


def test_a_letter_without_an_e_mail_address_is_registered_and_nobody_is_mailed(people):
    rec = public_intake.intake_register(
        actor=people["office"],
        sender=sender(email=""),
        question=question(),
        received_via="hotline",
        received_on=timezone.localdate(),
    )
    for message in OutboxMessage.objects.filter(task="proposals.notify_event"):
        notify_event.apply(kwargs=message.kwargs)
    assert rec.status == Status.SUBMITTED and mail.outbox == []


def test_the_same_key_twice_registers_once(people):
    key = uuid.uuid4()
    kwargs = {
        "actor": people["office"],
        "sender": sender(),
        "question": question(),
        "received_via": "email",
        "received_on": timezone.localdate(),
        "submission_key": key,
    }
    first = public_intake.intake_register(**kwargs)
    assert public_intake.intake_register(**kwargs) == first
    assert PublicSubmission.objects.count() == 1


def test_only_the_office_registers(people):
    with pytest.raises(workflow.TransitionError):
        public_intake.intake_register(
            actor=people["officer"],
            sender=sender(),
            question=question(),
            received_via="letter",
            received_on=timezone.localdate(),
        )
    nothing_saved()


def test_an_import_registers_every_row_or_none(people):
    good = {
        "sender": sender(),
        "question": question(),
        "received_via": "national_portal",
        "received_on": timezone.localdate(),
        "submission_key": importing.portal_key("H01.1"),
    }
    bad = {**good, "submission_key": importing.portal_key("H01.2"), "received_via": "web"}
    with pytest.raises(workflow.TransitionError):
        public_intake.intake_import(actor=people["office"], rows=[good, bad])
    nothing_saved()
    assert len(public_intake.intake_import(actor=people["office"], rows=[good])) == 1
    # Imported again: the row is known by its portal code and left as it was.
    assert public_intake.intake_import(actor=people["office"], rows=[good]) == []
    assert PublicSubmission.objects.count() == 1


# --- the office returns department items, never public ones ----------------------------


def test_the_office_cannot_return_a_public_item_for_clarification(people):
    rec = public_intake.intake_register(
        actor=people["office"],
        sender=sender(),
        question=question(),
        received_via="letter",
        received_on=timezone.localdate(),
    )
    offered = [t.action for t in workflow.available_transitions(people["office"], rec)]
    assert "return" not in offered and "reject" in offered
    with pytest.raises(workflow.TransitionError):
        recommendations.recommendation_act(
            recommendation_id=rec.pk, actor=people["office"], action="return", note="Rõ hơn"
        )
    department = bring_to(Status.SUBMITTED, people)
    assert "return" in [
        t.action for t in workflow.available_transitions(people["office"], department)
    ]


# --- the form -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["province", "officer", "leader", "admin"])
@pytest.mark.parametrize("url", [INTAKE_URL, IMPORT_URL, TEMPLATE_URL])
def test_only_the_ministry_office_opens_the_intake(client, people, who, url):
    client.force_login(people[who])
    assert client.get(url).status_code == 403
    assert client.post(url, letter()).status_code == 403
    nothing_saved()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(INTAKE_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_worklist_links_the_intake_for_the_office_only(client, office, people):
    page = client.get("/proposals/").content.decode()
    assert INTAKE_URL in page and IMPORT_URL in page
    client.force_login(people["province"])
    assert INTAKE_URL not in client.get("/proposals/").content.decode()


def test_the_office_registers_a_scanned_letter(client, office):
    scan = SimpleUploadedFile("thu-ban-doc.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(INTAKE_URL, letter(attachments=scan))
    rec = Recommendation.objects.get(title=TITLE)
    assert response.status_code == 302 and response["Location"] == f"/proposals/{rec.pk}/"
    assert rec.status == Status.SUBMITTED and rec.source_kind == "citizen"
    assert (rec.submitter_name, rec.submitter_email) == ("Trần Thị Mai", "tran.mai@example.vn")
    assert rec.public_submission.received_on == datetime.date(2020, 9, 7)
    assert rec.attachments.get().original_name == "thu-ban-doc.pdf"
    page = client.get(response["Location"]).content.decode()
    assert rec.code in page and "123/VP-TN" in page


def test_the_form_sent_twice_registers_once(client, office):
    data = letter()
    client.post(INTAKE_URL, data)
    client.post(INTAKE_URL, data)
    assert Recommendation.objects.filter(title=TITLE).count() == 1


def test_the_form_carries_a_key_against_double_sending(client, office):
    form = client.get(INTAKE_URL).context["form"]
    assert isinstance(form.initial["submission_key"], uuid.UUID)


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"name": "", "title": "", "content": "", "field": ""}, "name", "This field is required"),
        ({"title": "x" * 301}, "title", "at most 300 characters"),
        ({"content": "ngắn"}, "content", "too short"),
        ({"name": "<script>alert(1)</script>"}, "name", "< or >"),
        ({"address": "<b>Huế</b>"}, "address", "< or >"),
        ({"reference": "<img src=x>"}, "reference", "< or >"),
        ({"email": "tran.mai@@example"}, "email", "valid email"),
        ({"phone": "abc"}, "phone", "telephone number"),
        ({"received_on": "31/02/2020"}, "received_on", "valid date"),
        ({"received_on": "2999-01-01"}, "received_on", "future"),
        ({"received_on": "01/01/1990"}, "received_on", "year"),
        ({"received_via": "web"}, "received_via", "valid choice"),
        ({"sender_kind": "province"}, "sender_kind", "valid choice"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_what_was_typed_stays(
    client, office, changes, field, says
):
    response = client.post(INTAKE_URL, letter(**changes))
    assert response.status_code == 400
    assert says in english(response.context["form"].errors[field])
    page = response.content.decode()
    if changes.get("content", CONTENT) == CONTENT:
        assert CONTENT in page
    assert "<script>alert(1)" not in page
    nothing_saved()


def test_a_bad_file_saves_nothing(client, office):
    fake = SimpleUploadedFile("thu.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(INTAKE_URL, letter(attachments=fake))
    assert response.status_code == 400 and response.context["form"].errors["attachments"]
    assert TITLE in response.content.decode()
    nothing_saved()


# --- the national portal's file -------------------------------------------------------

ROW = [
    "H01.20-0001",
    "07/09/2020",
    "Doanh nghiệp",
    "Công ty TNHH Sao Mai",
    "lien.he@saomai.vn",
    "0243 123 456",
    "Hà Nội",
    "VT",
    "Thời hạn cấp phép mạng viễn thông dùng riêng",
    "Đề nghị Bộ cho biết thời hạn giải quyết hồ sơ cấp phép mạng dùng riêng.",
]


def xlsx(*rows, headers=HEADERS, sheet=importing.INTAKE_SHEET) -> SimpleUploadedFile:
    workbook = Workbook()
    data = workbook.active
    data.title = sheet
    data.append(headers)
    for row in rows:
        data.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("dvcqg.xlsx", buffer.getvalue())


def csv_file(*rows, delimiter=";", encoding="utf-8-sig", headers=HEADERS) -> SimpleUploadedFile:
    lines = [delimiter.join(headers)] + [delimiter.join(row) for row in rows]
    return SimpleUploadedFile("dvcqg.csv", "\r\n".join(lines).encode(encoding))


def row(**changes) -> list:
    values = dict(zip([n for n, _h in importing.INTAKE_COLUMNS], ROW, strict=True))
    values.update(changes)
    return list(values.values())


def errors_of(response) -> list[tuple[int, str, str]]:
    with translation.override("en"):
        return [(e.row, e.column, str(e.message)) for e in response.context["row_errors"]]


def test_the_template_has_the_documented_columns_and_the_lists(client, office):
    response = client.get(TEMPLATE_URL)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [importing.INTAKE_SHEET, importing.LIST_SHEET]
    assert [c.value for c in workbook[importing.INTAKE_SHEET][1]] == HEADERS
    codes = [r[0].value for r in workbook[importing.LIST_SHEET].iter_rows(min_row=2)]
    assert "VT" in codes and "Đối tượng" in codes


def test_the_documented_columns_are_the_ones_read():
    with open("docs/public-answers.md", encoding="utf-8") as docs:
        text = docs.read()
    for header in HEADERS:
        assert f"`{header}`" in text


def test_an_excel_export_is_registered_whole(client, office):
    second = row(reference="H01.20-0002", sender_kind="cá nhân", email="", title="Hỏi về phí")
    second[8] = "Hỏi về lệ phí cấp chứng thư số cho cá nhân"
    response = client.post(IMPORT_URL, {"file": xlsx(row(), second)})
    assert response.status_code == 302
    recs = Recommendation.objects.filter(public_submission__received_via="national_portal")
    assert sorted(r.source_kind for r in recs) == ["citizen", "enterprise"]
    assert all(r.status == Status.SUBMITTED for r in recs)
    assert Event.objects.filter(action="register", note="Mã PAKN: H01.20-0001").count() == 1


def test_a_date_cell_is_read_as_a_date(client, office):
    response = client.post(
        IMPORT_URL, {"file": xlsx(row(received_on=datetime.datetime(2020, 9, 7)))}
    )
    assert response.status_code == 302
    assert PublicSubmission.objects.get().received_on == datetime.date(2020, 9, 7)


def test_a_csv_export_with_semicolons_and_a_bom_is_registered(client, office):
    response = client.post(IMPORT_URL, {"file": csv_file(row())})
    assert response.status_code == 302
    assert Recommendation.objects.get().title == ROW[8]


def test_a_csv_export_with_commas_and_quotes_is_registered(client, office):
    quoted = [f'"{v}"' for v in row(title="Cấp phép, gia hạn mạng dùng riêng")]
    lines = [",".join(HEADERS), ",".join(quoted)]
    upload = SimpleUploadedFile("dvcqg.csv", "\n".join(lines).encode())
    assert client.post(IMPORT_URL, {"file": upload}).status_code == 302
    assert Recommendation.objects.get().title == "Cấp phép, gia hạn mạng dùng riêng"


def test_importing_the_same_file_again_registers_nothing_new(client, office):
    client.post(IMPORT_URL, {"file": xlsx(row())})
    response = client.post(IMPORT_URL, {"file": xlsx(row())}, follow=True)
    assert Recommendation.objects.count() == 1
    assert "0 recommendations were registered" in response.content.decode()
    assert "earlier import" in response.content.decode()


def test_every_bad_row_is_listed_by_row_and_column_and_nothing_is_saved(client, office):
    rows = [
        row(),
        row(reference="", received_on="31/02/2020", sender_kind="Sở", field="XX"),
        row(reference="H01.20-0001", name="<script>x</script>", email="a@@b"),
        row(reference="H02", title="", content="ngắn"),
        row(reference="H03", title="x" * 301),
    ]
    response = client.post(IMPORT_URL, {"file": xlsx(*rows)})
    assert response.status_code == 400
    found = errors_of(response)
    columns = {(r, c.split(" ")[0]) for r, c, _m in found}
    assert {(3, "A"), (3, "B"), (3, "C"), (3, "H")} <= columns
    assert {(4, "A"), (4, "D"), (4, "E"), (5, "I"), (5, "J"), (6, "I")} <= columns
    messages = " ".join(m for _r, _c, m in found)
    assert "07/09/2020" in messages and "row 2" in messages and "< or >" in messages
    assert "at most 300 characters" in messages
    assert "<script>x" not in response.content.decode()
    nothing_saved()


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (lambda: xlsx(), "no recommendations"),
        (lambda: csv_file(), "no recommendations"),
        (lambda: xlsx(row(), headers=HEADERS[::-1]), "header row"),
        (lambda: xlsx(row(), sheet="Sheet1"), "must have the sheet"),
        (lambda: csv_file(row(), encoding="utf-16"), "UTF-8"),
        # A cell longer than any question: a damaged or foreign file.
        (lambda: csv_file(row(content="x" * 140_000)), "cannot be read as a CSV file"),
        (lambda: SimpleUploadedFile("dvcqg.xlsx", b"not a zip"), "not an Excel file"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_saves_nothing(client, office, upload, says):
    response = client.post(IMPORT_URL, {"file": upload()})
    assert response.status_code == 400
    page_errors = errors_of(response) if response.context["row_errors"] else []
    text = " ".join(m for _r, _c, m in page_errors) + english(
        response.context["form"].errors.get("file", [])
    )
    assert says in text
    nothing_saved()


def test_an_empty_upload_is_refused_next_to_the_field(client, office):
    response = client.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert "required" in english(response.context["form"].errors["file"])
