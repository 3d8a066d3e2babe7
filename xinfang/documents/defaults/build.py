"""Build the shipped default templates (one .docx per kind) with python-docx, laid out
like an official document (GB/T 9704): the issuing unit's name in red as the header
(红头), the document number, a red rule, the title centred in a large bold face, the
recipient, the body in 仿宋 三号 (16 pt) with a two-character first-line indent, the
issuing unit and its seal line, and the date in Chinese numerals.

Run from the repository root after changing a text here:

    .venv/bin/python -m xinfang.documents.defaults.build

and commit the .docx files it writes beside this script."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from xinfang.documents.fields import FIELDS
from xinfang.documents.kinds import DocKind

K = DocKind
HERE = Path(__file__).resolve().parent
RED = RGBColor(0xC0, 0x00, 0x00)
BODY_FONT, TITLE_FONT, HEADER_FONT = "仿宋_GB2312", "方正小标宋简体", "方正小标宋简体"
TO_PETITIONER = "{{ petitioner_name }}："
FROM_CASE = "您于{{ received_date_cn }}提出的信访事项（编号：{{ case_number }}），反映{{ request_summary }}。"

# kind: (title, recipient line, body paragraphs). Jinja placeholders come from fields.py.
TEXTS = {
    K.ACCEPT_NOTICE: ("受理告知书", TO_PETITIONER, [
        FROM_CASE,
        "根据{{ legal_basis }}的规定，本机关决定予以受理，并将在受理之日起{{ handle_days }}日内（{{ handle_due_cn }}前）"
        "办结，出具书面处理意见。",
        "特此告知。",
    ]),
    K.DECLINE_NOTICE: ("不予受理告知书", TO_PETITIONER, [
        FROM_CASE,
        "经审查，{{ decline_reason }}。根据{{ legal_basis }}的规定，本机关不予受理。",
        "请您{{ proper_channel }}。",
        "特此告知。",
    ]),
    K.FORWARD_NOTICE: ("转送告知书", TO_PETITIONER, [
        FROM_CASE,
        "根据{{ legal_basis }}的规定，该事项已转送{{ to_unit_name }}处理，由其依法决定是否受理并书面告知您。",
        "特此告知。",
    ]),
    K.EXTENSION_NOTICE: ("延期告知书", TO_PETITIONER, [
        FROM_CASE,
        "因{{ extension_reason }}，根据{{ legal_basis }}的规定，办理期限延长{{ extension_days }}日，"
        "延长后的办理期限至{{ handle_due_cn }}。",
        "特此告知。",
    ]),
    K.OPINION: ("信访处理意见书", TO_PETITIONER, [
        FROM_CASE,
        "经调查核实，{{ facts }}",
        "根据{{ legal_basis }}，处理意见如下：{{ opinion }}（处理结果：{{ outcome }}）",
        "{{ remedy }}",
    ]),
    K.REVIEW_OPINION: ("复查意见书", TO_PETITIONER, [
        "您对原处理意见不服，请求复查的信访事项（编号：{{ case_number }}），反映{{ request_summary }}。",
        "经复查，{{ facts }}",
        "根据{{ legal_basis }}，复查意见如下：{{ opinion }}（复查结果：{{ outcome }}）",
        "{{ remedy }}",
    ]),
    K.RE_REVIEW_OPINION: ("复核意见书", TO_PETITIONER, [
        "您对复查意见不服，请求复核的信访事项（编号：{{ case_number }}），反映{{ request_summary }}。",
        "经复核，{{ facts }}",
        "根据{{ legal_basis }}，复核意见如下：{{ opinion }}（复核结果：{{ outcome }}）",
        "{{ remedy }}",
    ]),
    K.REFUSE_NOTICE: ("不再受理告知书", TO_PETITIONER, [
        FROM_CASE,
        "经审查，{{ decline_reason }}。根据{{ refuse_basis }}（{{ legal_basis }}）的规定，对该信访事项不再受理。",
        "特此告知。",
    ]),
    K.ASSIGN_FORM: ("信访事项交办单", "{{ to_unit_name }}：", [
        "现将信访人{{ petitioner_name }}于{{ received_date_cn }}提出的信访事项（编号：{{ case_number }}）交你单位办理。"
        "{% if assisting_units %}协办单位：{{ assisting_units }}。{% endif %}",
        "信访事项：{{ request_summary }}",
        "信访内容：{{ content }}",
        "请于{{ handle_due_cn }}前办结，并将办理结果书面答复信访人，同时报送本机关。{{ note }}",
    ]),
    K.FORWARD_FORM: ("信访事项转送单", "{{ to_unit_name }}：", [
        "现将信访人{{ petitioner_name }}于{{ received_date_cn }}提出的信访事项（编号：{{ case_number }}）转送你单位，"
        "请依法处理。",
        "信访事项：{{ request_summary }}",
        "信访内容：{{ content }}",
        "请于{{ decide_due_cn }}前决定是否受理，并书面告知信访人。{{ note }}",
    ]),
    K.SUPERVISE_FORM: ("信访事项督办单", "{{ to_unit_name }}：", [
        "督办级别：{{ level }}",
        "信访事项（编号：{{ case_number }}）：{{ request_summary }}。",
        "{% if reason %}督办原因：{{ reason }}{% endif %}",
        "督办要求：{{ requirements }}",
        "{% if responsible_name %}责任人：{{ responsible_name }}。{% endif %}"
        "请于{{ reply_due_cn }}前将办理情况书面报告本机关，逾期未报告的将予以催办、通报。",
    ]),
    K.REMINDER_FORM: ("信访事项催办单", "{{ to_unit_name }}：", [
        "信访事项（编号：{{ case_number }}）：{{ request_summary }}，原办理期限为{{ handle_due_cn }}。",
        "催办原因：{{ reason }}",
        "请于{{ reply_due_cn }}前将办理情况书面报告本机关。",
    ]),
    K.BULLETIN: ("{{ title }}", "{{ to_unit_name }}：", [
        "{{ body }}",
        "{{ requirements }}",
    ]),
    K.MONTHLY_ANALYSIS: ("{{ period }}信访情况分析", "{{ to_unit_name }}：", [
        "一、总体情况。{{ summary }}",
        "二、情况分析。{{ body }}",
        "三、对策建议。{{ suggestions }}",
    ]),
}


def _font(run, name, size, *, bold=False, color=None):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _paragraph(doc, text, *, font=BODY_FONT, size=16, bold=False, color=None, align=None, indent=False, after=0):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)  # 28-29 pt: 22 lines to the page
    fmt.space_after = Pt(after)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph):
    """The red line under the header (版头中的分隔线)."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def build(kind):
    title, recipient, body = TEXTS[kind]
    doc = Document()
    section = doc.sections[0]
    # A4 with the margins GB/T 9704 gives: top 37 mm, bottom 35, left 28, right 26.
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    C, R = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(doc, "{{ unit_name }}", font=HEADER_FONT, size=26, bold=True, color=RED, align=C, after=12)
    _red_rule(_paragraph(doc, "{{ doc_number }}", align=C, after=18))
    _paragraph(doc, title, font=TITLE_FONT, size=22, bold=True, align=C, after=18)
    _paragraph(doc, recipient)
    for text in body:
        _paragraph(doc, text, indent=True)
    _paragraph(doc, "")
    _paragraph(doc, "{{ unit_name }}（印章）", align=R)
    _paragraph(doc, "{{ issue_date_cn }}", align=R)
    path = HERE / f"{kind}.docx"
    doc.save(path)
    return path


def main():
    for kind in DocKind.values:
        used = {name for name in FIELDS[kind] if "{{ %s }}" % name in repr(TEXTS[kind]) or f"if {name}" in repr(TEXTS[kind])}
        print(build(kind), f"({len(used)} of {len(FIELDS[kind])} fields)")


if __name__ == "__main__":
    import django

    django.setup()
    main()
