"""The fields (lĩnh vực) of the ministry's state management, in the order the public
answer tables use (I. Bưu chính, II. Viễn thông, ...). Admin-editable afterwards."""

from django.db import migrations

FIELDS = [
    ("BC", "Bưu chính"),
    ("VT", "Viễn thông"),
    ("TS", "Tần số vô tuyến điện"),
    ("CNTT", "Công nghệ thông tin, ứng dụng công nghệ thông tin"),
    ("ATTT", "An toàn thông tin"),
    ("BCHI", "Báo chí"),
    ("PTTH", "Phát thanh, truyền hình và thông tin điện tử"),
    ("XBIPH", "Xuất bản, in và phát hành"),
    ("TTCS", "Thông tin cơ sở"),
    ("TTDN", "Thông tin đối ngoại"),
    ("KHTC", "Kế hoạch, tài chính"),
    ("PCTT", "Pháp chế, thanh tra"),
    ("TCCB", "Tổ chức cán bộ"),
    ("CDS", "Chuyển đổi số"),
]


def load(apps, schema_editor):
    Field = apps.get_model("proposals", "Field")
    for order, (code, name) in enumerate(FIELDS, start=1):
        Field.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
