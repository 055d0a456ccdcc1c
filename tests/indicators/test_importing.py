"""Excel template and upload: every bad file is refused with its row and column, and
nothing is stored unless the whole file is valid."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from briefing.models.organisations import RoleCode
from indicators.models import Submission, Value

URL = "/indicators/report/Q3-2020/CUC-TTCS/"
HEADER = ["Mã đơn vị", "Tên đơn vị", "XA_TONG", "XA_CO_DAI", "DAI_XA", "DAI_CNTT"]


def vi(message):
    with translation.override("vi"):
        return translation.gettext(message)


def workbook_file(rows, header=HEADER, sheets=("Số liệu",), name="so-lieu.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheets[0]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for extra in sheets[1:]:
        workbook.create_sheet(extra)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, file, submit=True):
    data = {"file": file}
    if submit:
        data["submit"] = "1"
    return client.post(URL + "upload/", data)


def errors(response):
    return [(e.row, e.column, e.message) for e in response.context["row_errors"]]


@pytest.fixture
def province(signed_in):
    return signed_in(RoleCode.PROVINCE_LEADER)


def test_the_template_has_the_organisation_row_and_a_guide(client, province):
    response = client.get(URL + "template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Số liệu", "Hướng dẫn"]
    rows = list(workbook["Số liệu"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert rows[1][0] == "T63-37"


def test_a_valid_file_is_stored_and_submitted(client, province):
    response = upload(client, workbook_file([["T63-37", "Ninh Bình", 145, 140, 150, 12]]))
    assert response.status_code == 302
    report = Submission.objects.get()
    assert report.status == "submitted"
    assert Value.objects.get(submission=report, element__code="DAI_CNTT").value == 12


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["T63-37", "", "nhiều", 140, 150, 12], "C (XA_TONG)", "vui lòng nhập số nguyên"),
        (["T63-37", "", 145, -1, 150, 12], "D (XA_CO_DAI)", "không được là số âm"),
        (["T63-37", "", 145, 146, 150, 12], "D (XA_CO_DAI)", "không được lớn hơn"),
        (["T63-37", "", 145, 140, None, 12], "E (DAI_XA)", "bắt buộc nhập giá trị"),
        (["XX-99", "", 145, 140, 150, 12], "A (Mã đơn vị)", "không tồn tại"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_stored(
    client, province, row, column, words
):
    response = upload(client, workbook_file([row]))
    assert response.status_code == 400
    [(number, where, message)] = errors(response)
    assert (number, where) == (2, column)
    assert words in message
    assert not Submission.objects.exists() and not Value.objects.exists()


def test_a_formula_cell_is_refused_as_a_formula(client, province):
    # With the values as cached results the formula looked like an empty, required cell.
    response = upload(client, workbook_file([["T63-37", "", 145, 140, "=C2+5", 12]]))
    assert response.status_code == 400
    [(number, where, message)] = errors(response)
    assert (number, where) == (2, "E")
    assert "công thức" in message and "bắt buộc" not in message
    assert not Submission.objects.exists()


def test_another_entity_row_is_refused_for_a_department(client, province):
    response = upload(client, workbook_file([["T63-30", "", 1, 1, 1, 1]]))
    assert response.status_code == 400
    assert "chỉ được báo cáo cho đơn vị của mình" in errors(response)[0][2]
    assert not Submission.objects.exists()


def test_wrong_headers_are_refused(client, province):
    header = ["Mã đơn vị", "Tên đơn vị", "XA_TONG", "SO_XA", "DAI_XA", "DAI_CNTT"]
    response = upload(client, workbook_file([["T63-37", "", 1, 1, 1, 1]], header=header))
    [(row, column, message)] = errors(response)
    assert row == 1 and column == "D (SO_XA)"
    assert "XA_CO_DAI" in message
    assert not Submission.objects.exists()


def test_extra_sheets_are_refused(client, province):
    file = workbook_file([["T63-37", "", 1, 1, 1, 1]], sheets=("Số liệu", "Ghi chú"))
    response = upload(client, file)
    assert "Ghi chú" in errors(response)[0][2]
    assert not Submission.objects.exists()


def test_a_file_that_is_not_excel_is_refused(client, province):
    response = upload(client, SimpleUploadedFile("so-lieu.xlsx", b"Ma don vi;XA_TONG\nT63-37;1"))
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        vi("This is not an Excel file (.xlsx). Download the template and fill it in.")
    ]
    assert not Submission.objects.exists()


def test_a_damaged_workbook_is_refused(client, province):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<broken")
    response = upload(client, SimpleUploadedFile("hong.xlsx", buffer.getvalue()))
    assert errors(response)[0][2] == vi("The file cannot be read as an Excel workbook.")
    assert not Submission.objects.exists()


def test_the_owner_unit_loads_many_entities_in_one_file_or_none(client, signed_in):
    signed_in(RoleCode.UNIT_OFFICER, username="t-cuc-ttcs", org_code="CUC-TTCS")
    template = load_workbook(io.BytesIO(client.get(URL + "template.xlsx").content))
    assert template["Số liệu"].max_row == 64  # header and the 63 provinces of 2020
    rows = [[f"T63-{c}", "", 100, 90, 95, 3] for c in ("01", "02", "04")]
    bad = upload(client, workbook_file([*rows, ["T63-06", "", 100, 101, 95, 3]]))
    assert errors(bad) == [(5, "D (XA_CO_DAI)", errors(bad)[0][2])]
    assert not Submission.objects.exists()
    assert upload(client, workbook_file(rows)).status_code == 302
    assert Submission.objects.filter(status="submitted").count() == 3
