"""Attachment checks: the type is read from the file's content, never from its name."""

import zipfile
from dataclasses import dataclass

import olefile
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from briefing.platform.excel import unpacked_size

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Office documents are zips: what one may unpack to (whoever opens or indexes it later
# must not be handed a zip bomb). Real documents with pictures stay far below.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ATTACHMENTS = 10

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word/Excel container


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind(".pdf", "application/pdf")
PNG = FileKind(".png", "image/png")
JPEG = FileKind(".jpg", "image/jpeg")
DOC = FileKind(".doc", "application/msword")
XLS = FileKind(".xls", "application/vnd.ms-excel")
DOCX = FileKind(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPT = FileKind(".ppt", "application/vnd.ms-powerpoint")
PPTX = FileKind(
    ".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)
# What recommendations and answers may carry; briefing presentations add PowerPoint.
ATTACHMENT_KINDS = (PDF, DOC, DOCX, XLS, XLSX, JPEG, PNG)
PRESENTATION_KINDS = (PDF, PPT, PPTX, DOC, DOCX, XLS, XLSX)


def describe(kinds) -> str:
    return ", ".join(kind.extension.lstrip(".").upper() for kind in kinds)


ALLOWED_DESCRIPTION = describe(ATTACHMENT_KINDS)


def sniff(uploaded) -> FileKind | None:
    """What the file really is, or None when it is none of the allowed kinds."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_OLE2):
        return _sniff_ole2(uploaded)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
            if "ppt/presentation.xml" in names:
                return PPTX
    return None


def _sniff_ole2(uploaded) -> FileKind | None:
    """Word, Excel and PowerPoint 97-2003 files share their container with installers
    (.msi) and Outlook messages: look for the document's own stream."""
    try:
        ole = olefile.OleFileIO(uploaded)
    except OSError:
        return None
    finally:
        uploaded.seek(0)
    try:
        if ole.exists("WordDocument"):
            return DOC
        if ole.exists("Workbook") or ole.exists("Book"):
            return XLS
        if ole.exists("PowerPoint Document"):
            return PPT
        return None
    finally:
        ole.close()
        uploaded.seek(0)


def validate_attachment(uploaded, kinds=ATTACHMENT_KINDS) -> FileKind:
    """Raise a ValidationError naming the file when it is too large or not one of
    `kinds`."""
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s per file.")
            % {
                "name": uploaded.name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(MAX_ATTACHMENT_BYTES),
            }
        )
    kind = sniff(uploaded)
    if kind not in kinds:
        raise ValidationError(
            _("“%(name)s” is not an allowed file type. Allowed: %(allowed)s.")
            % {"name": uploaded.name, "allowed": describe(kinds)}
        )
    if kind in (DOCX, XLSX, PPTX):
        size = unpacked_size(uploaded)
        if size is None or size > MAX_UNPACKED_BYTES:
            raise ValidationError(
                _("“%(name)s” unpacks to more than %(limit)s: it cannot be an ordinary document.")
                % {"name": uploaded.name, "limit": filesizeformat(MAX_UNPACKED_BYTES)}
            )
    return kind


def download(attachment) -> FileResponse:
    """The file as a download. The extension comes from the content, so "page.html"
    holding a PDF is served as "page.pdf" and never opened by a browser as a web page."""
    stem = attachment.original_name.rsplit(".", 1)[0] or "tep"
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{stem}{attachment.extension}",
        content_type=attachment.content_type,
    )


# --- a form that comes back with errors ----------------------------------------------


def chosen_again(bound_field) -> list[str]:
    """The names of the files chosen in `bound_field` that the user must choose again:
    a browser never keeps a chosen file when the form comes back with errors. A file
    refused by its own error message is not listed (it is not to be chosen again)."""
    form = bound_field.form
    if not form.is_bound or not form.errors:
        return []
    uploaded = form.files.getlist(bound_field.html_name)
    rejected = getattr(bound_field.field, "rejected_names", None)
    if rejected is None:  # a single-file field: its error is about that file
        rejected = {f.name for f in uploaded} if bound_field.errors else set()
    return [f.name for f in uploaded if f.name not in rejected]


# --- the change history of a record's files --------------------------------------------

_NOTE_PREFIX = "files"
_NOTE_LENGTH = 100  # django-simple-history's change reason column


def history_note(*, removed: list[str], added: list[str]) -> str:
    """A change reason naming the files removed and added ("" when none), as short as
    the history's column: names that do not fit are summed up by "…"."""
    entries = [f"-{name}" for name in removed] + [f"+{name}" for name in added]
    if not entries:
        return ""
    note = _NOTE_PREFIX
    for entry in entries:
        entry = "|" + entry.replace("|", "/")
        if len(note) + len(entry) > _NOTE_LENGTH - 2:
            return note + "|…"
        note += entry
    return note


def describe_history_note(reason: str | None) -> str | None:
    """What `history_note` recorded, in the reader's words; None for any other reason."""
    if not reason or not reason.startswith(_NOTE_PREFIX + "|"):
        return None
    entries = reason.split("|")[1:]
    removed = [e[1:] for e in entries if e.startswith("-")]
    added = [e[1:] for e in entries if e.startswith("+")]
    parts = []
    if removed:
        parts.append(_("Files removed: %(names)s") % {"names": ", ".join(removed)})
    if added:
        parts.append(_("Files added: %(names)s") % {"names": ", ".join(added)})
    return "; ".join(parts) + (" …" if "…" in entries else "")
