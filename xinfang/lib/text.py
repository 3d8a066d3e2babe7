"""Text that can go into any file. A control character (\\x08, \\x0b…) in a stored string
makes an Excel export fail (XML 1.0 cannot hold it) — for ever, where the record is
append-only — and direction overrides or zero-width characters make a name or a number
read as something it is not. So they are removed at the door, by `clean_text`, at every
entry point (Django form fields, the API's input schemas, the services that store text
and the audit record); and every file writer also strips what XML cannot hold
(`xml_safe`), for whatever was stored before.

Removed: C0 and C1 control characters except tab, newline and carriage return; the
direction embeddings, overrides and isolates (U+202A–202E, U+2066–2069); zero-width
characters and marks (U+200B–200F, U+2060, U+FEFF); lone surrogates and the
noncharacters U+FFFE/U+FFFF."""

import re

# NUL is listed apart: the form fields and the API refuse it with a message (PostgreSQL
# cannot store it), the services and the audit record remove it.
_UNSAFE = "\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff"
UNSAFE = re.compile(f"[\x00{_UNSAFE}]")
UNSAFE_BUT_NUL = re.compile(f"[{_UNSAFE}]")
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value, *, keep_nul=False):
    """`value` without the characters above; anything that is not a string unchanged."""
    if not isinstance(value, str):
        return value
    return (UNSAFE_BUT_NUL if keep_nul else UNSAFE).sub("", value)


def clean_deep(value, *, keep_nul=False):
    """Every string in `value` (a string, or dicts, lists and tuples of them, keys too)
    cleaned."""
    if isinstance(value, str):
        return clean_text(value, keep_nul=keep_nul)
    if isinstance(value, dict):
        return {clean_deep(k, keep_nul=keep_nul): clean_deep(v, keep_nul=keep_nul) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_deep(v, keep_nul=keep_nul) for v in value)
    return value


def xml_safe(text):
    """`text` without the characters XML 1.0 (and so an XLSX or DOCX file) cannot hold."""
    return XML_ILLEGAL.sub("", text)


def install_form_cleaning():
    """Every Django form CharField (staff pages, the public site, the login form, the
    admin's model forms), a password's excepted, cleans what it is given before its
    validators run. Called once from `org`'s AppConfig.ready(); NUL still reaches
    Django's own validator, which refuses it with a message."""
    from django import forms

    if getattr(forms.CharField.to_python, "cleans_text", False):
        return
    original = forms.CharField.to_python

    def to_python(self, value):
        value = original(self, value)
        if isinstance(self.widget, forms.PasswordInput):
            return value  # a password is checked, never stored or shown: it stays as typed
        return clean_text(value, keep_nul=True)

    to_python.cleans_text = True
    forms.CharField.to_python = to_python
