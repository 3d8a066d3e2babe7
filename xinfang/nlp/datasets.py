"""Reading the CSV files the commands take (`id,title,text[,label]`, like the
gov-messages data) and a three-level taxonomy (`level1,level2,level3`)."""

import csv
import sys
from pathlib import Path

csv.field_size_limit(sys.maxsize)


def read_rows(path, *, need=("id", "title", "text")):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = set(need) - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(sorted(missing))}")
        return [row for row in reader]


def read_taxonomy(path, labels=None):
    """{first-level name: [second- and third-level names]}, only for `labels` if given."""
    tree = {}
    for row in read_rows(path, need=("level1",)):
        top = (row.get("level1") or "").strip()
        if not top or (labels is not None and top not in labels):
            continue
        names = tree.setdefault(top, [])
        for key in ("level2", "level3"):
            name = (row.get(key) or "").strip()
            if name and name not in names:
                names.append(name)
    return tree


def beside(path, name):
    """A file of that name in the same folder as `path`, if there is one."""
    candidate = Path(path).resolve().parent / name
    return candidate if candidate.exists() else None
