"""The official documents as files: the PDF (WeasyPrint, tagged PDF/UA-1 so screen
readers read it, with its fonts embedded) and the printable page, both from
templates/briefing/documents/document.html and static/css/document.css; the Word file
is word.py's. All three lay out the same `documents.Document`."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from briefing.reports import documents

TEMPLATE = "briefing/documents/document.html"

# The PDF's typeface, "Decree Serif" in document.css: Liberation Serif 2 (Debian's
# fonts-liberation2, `make system-deps`) has the metrics of Times New Roman, which the
# decree asks for, and every Vietnamese letter, so "BỘ THÔNG TIN VÀ TRUYỀN THÔNG" fits
# one line as in the ministry's documents. Version 1 (fonts-liberation) has no Vietnamese
# and the same family name, so the files are named, not the family. Without them, Noto
# Serif (wider) from static/fonts/.
LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
FACES = [
    ("normal", "normal", "LiberationSerif-Regular.ttf", "NotoSerif-Regular.ttf"),
    ("bold", "normal", "LiberationSerif-Bold.ttf", "NotoSerif-Bold.ttf"),
    ("normal", "italic", "LiberationSerif-Italic.ttf", "NotoSerif-Italic.ttf"),
    ("bold", "italic", "LiberationSerif-BoldItalic.ttf", "NotoSerif-BoldItalic.ttf"),
]


def font_faces(liberation: Path = LIBERATION) -> str:
    """The @font-face rules of "Decree Serif" for WeasyPrint."""
    rules = []
    for weight, style, times_metric, fallback in FACES:
        found = liberation / times_metric
        path = found if found.exists() else Path(_static_path(f"fonts/{fallback}"))
        rules.append(
            f'@font-face {{ font-family: "Decree Serif"; src: url("{path.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def _static_path(name: str) -> str:
    return finders.find(name) or staticfiles_storage.path(name)


def html(request, doc: documents.Document, *, for_browser: bool, links: dict | None = None):
    with translation.override(documents.LANGUAGE):
        context = {
            "doc": doc,
            "national_title": documents.NATIONAL_TITLE,
            "motto": documents.MOTTO,
            "recipients_label": documents.RECIPIENTS,
            "appendix_label": _("Appendix: charts"),
        }
    # The toolbar of the printable page speaks the reader's language.
    return render_to_string(
        TEMPLATE, context | {"for_browser": for_browser, **(links or {})}, request=request
    )


def pdf(request, doc: documents.Document) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which web pages never need
    # (and a machine without Pango still serves the page and the Word file).
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    faces = CSS(string=font_faces(), font_config=fonts)
    stylesheet = CSS(filename=_static_path("css/document.css"), font_config=fonts)
    page = HTML(string=html(request, doc, for_browser=False), base_url=_static_path("css/"))
    return page.write_pdf(
        stylesheets=[faces, stylesheet],
        font_config=fonts,
        pdf_variant="pdf/ua-1",
    )
