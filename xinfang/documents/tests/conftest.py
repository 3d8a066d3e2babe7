import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument


def docx_bytes(*paragraphs):
    """A small Word file with these paragraphs (Jinja placeholders and all)."""
    doc = WordDocument()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def text_of(body):
    """Every paragraph of a .docx, one per line: what a reader of the file sees."""
    return "\n".join(p.text for p in WordDocument(io.BytesIO(body)).paragraphs)


@pytest.fixture
def upload():
    def make(*paragraphs, name="红头模板.docx", body=None):
        return SimpleUploadedFile(name, body if body is not None else docx_bytes(*paragraphs))

    return make
