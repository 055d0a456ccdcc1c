"""The official documents as Word files (python-docx), for the staff who edit a document
before it is signed: the same `documents.Document` as the PDF, laid out as Decree
30/2020/NĐ-CP sets it (A4; margins 20/20/30/15 mm; Times New Roman 14 pt; page numbers
centred at the top from page 2). Charts stay in the PDF: their figures are in the
tables."""

import io

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from briefing.reports import documents

FONT = "Times New Roman"
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def docx(doc: documents.Document) -> bytes:
    word = WordDocument()
    _page(word)
    _styles(word)
    _heading(word, doc)
    _title(word, doc)
    for section in doc.sections:
        if section.heading:
            _paragraph(word, section.heading, bold=True, indent=False)
        for text in section.paragraphs:
            _paragraph(word, text)
        if section.table:
            _table(word, section.table)
    _paragraph(word, doc.closing)
    _end(word, doc)
    properties = word.core_properties
    properties.title = doc.title
    properties.language = "vi-VN"
    properties.author = doc.issuing_body
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _page(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    # No number on the first page; from the second, centred in the top margin.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = CENTER
    _field(number.add_run(), "PAGE")


def _field(run, code: str) -> None:
    for tag, attrs, text in (
        ("w:fldChar", {"w:fldCharType": "begin"}, None),
        ("w:instrText", {"xml:space": "preserve"}, f" {code} "),
        ("w:fldChar", {"w:fldCharType": "end"}, None),
    ):
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        if text:
            element.text = text
        run._r.append(element)


def _styles(word) -> None:
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(language)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.1


def _run(paragraph, text: str, *, size=None, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return run


def _line(cell_or_doc, text: str, *, size=None, bold=False, italic=False, align=CENTER):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = align
    _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _rule(container, width_share: float, column_width_mm: float) -> None:
    """A short centred line: the bottom border of an empty paragraph narrowed by its
    indents to `width_share` of the column."""
    paragraph = container.add_paragraph()
    side = Mm(column_width_mm * (1 - width_share) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.space_after = Pt(6)
    _run(paragraph, "", size=2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _two_columns(word, widths_mm: tuple[float, float]):
    table = word.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, widths_mm, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def _heading(word, doc) -> None:
    # As document.css: the ministry's name (74 mm in bold 12 pt Times New Roman) and the
    # national title (88 mm) each on one line.
    left_width, right_width = 76, 89
    issuer, nation = _two_columns(word, (left_width, right_width))
    if doc.parent_body:
        _line(issuer, doc.parent_body, size=12)
    _line(issuer, doc.issuing_body, size=12, bold=True)
    _rule(issuer, 0.4, left_width)
    _line(issuer, doc.number_symbol, size=13)
    _line(nation, documents.NATIONAL_TITLE, size=12, bold=True)
    _line(nation, documents.MOTTO, size=13.5, bold=True)
    _rule(nation, 0.6, right_width)
    _line(nation, doc.place_date, size=14, italic=True)


def _title(word, doc) -> None:
    _line(word, "", size=8)
    _line(word, doc.type_name, size=14, bold=True)
    _line(word, doc.subject_unbroken, size=14, bold=True)
    _rule(word, 0.3, documents.TEXT_WIDTH)


def _paragraph(word, text: str, *, bold=False, indent=True) -> None:
    paragraph = word.add_paragraph()
    paragraph.alignment = JUSTIFY
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.line_spacing = 1.2
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    _run(paragraph, text, bold=bold)


def _table(word, table: documents.Table) -> None:
    caption = _line(word, table.caption, size=12, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.keep_with_next = True
    grid = word.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(grid.rows[0])
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        _cell(cell, column.label, column.width, bold=True, align=CENTER)
    for row in table.body:
        cells = grid.add_row().cells
        for cell, (text, numeric), column in zip(cells, row, table.columns, strict=True):
            align = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell(cell, text, column.width, align=align)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell(cell, text: str, width_mm: int, *, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT):
    cell.width = Mm(width_mm)
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _run(paragraph, text, size=12, bold=bold)


def _end(word, doc) -> None:
    _line(word, "", size=8)
    recipients, signature = _two_columns(word, (82, 83))
    label = _line(recipients, documents.RECIPIENTS, size=12, bold=True, italic=True)
    label.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for text in doc.recipients:
        _line(recipients, text, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    if doc.signer_authority:
        _line(signature, doc.signer_authority, size=14, bold=True)
    _line(signature, doc.signer_title, size=14, bold=True)
    for _blank in range(4):
        _line(signature, "", size=14)
    _line(signature, doc.signer_name, size=14, bold=True)
