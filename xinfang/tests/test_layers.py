"""The map of the tree in CONTRIBUTING.md, the layers contract in pyproject.toml and the
apps on disk say the same thing; and no import hides inside a function except the few
that docs/decisions.md ("Imports inside functions") lists with their reason. The contract
itself is checked by import-linter (scripts/test.sh)."""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "xinfang"

# Module (path under xinfang/) → why its function-level imports of the project are not
# hiding a cycle. Each is also named in docs/decisions.md.
LATE_IMPORTS = {
    "org/apps.py": "AppConfig.ready()",
    "api/apps.py": "AppConfig.ready()",
    "audit/apps.py": "AppConfig.ready()",
    "intake/apps.py": "AppConfig.ready()",
    "nlp/apps.py": "AppConfig.ready()",
    "calendar/apps.py": "AppConfig.ready()",
    "supervision/apps.py": "AppConfig.ready()",
    "cases/querysets.py": "models.py builds its manager from this QuerySet",
    "nlp/text.py": "importable without Django",
    "nlp/places.py": "importable without Django",
    "nlp/minhash.py": "importable without Django",
}


def layers():
    """The layers contract, bottom layer first: [[(app, optional), ...], ...] and whether
    each layer's siblings may import each other."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    out = []
    for raw in reversed(contract["layers"]):
        together = ":" in raw
        names = [n.strip() for n in re.split(r"[|:]", raw)]
        out.append(([(n.strip("()"), n.startswith("(")) for n in names], together))
    return out


def apps_on_disk():
    return {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - {"tests"}


def may_import():
    """What each existing app may import under the contract: every existing app of a lower
    layer, and its siblings when the layer joins them with ":"."""
    existing = apps_on_disk()
    allowed, below = {}, set()
    for members, together in layers():
        names = {n for n, _ in members if n in existing}
        for name in names:
            allowed[name] = set(below) | ((names - {name}) if together else set())
        below |= names
    return allowed


def map_lines():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    block = text.split("## Map", 1)[1].split("```", 2)[1]
    return {m.group(1): m.group(2) for m in re.finditer(r"^  (\w+)/ +(.*)$", block, re.M)}


def test_every_app_has_a_layer_in_the_contract():
    named = {n for members, _ in layers() for n, _ in members}
    missing = apps_on_disk() - named
    assert not missing, f"apps without a layer in pyproject.toml: {sorted(missing)}"


def test_every_layer_names_an_app_or_a_planned_one():
    stray = {n for members, _ in layers() for n, optional in members if not optional and n not in apps_on_disk()}
    assert not stray, f"layers naming apps that do not exist (mark planned ones with parentheses): {sorted(stray)}"


def test_the_map_names_every_app_once_with_what_it_may_import():
    lines = map_lines()
    assert set(lines) == apps_on_disk(), (
        f"CONTRIBUTING.md map vs xinfang/: missing {sorted(apps_on_disk() - set(lines))}, "
        f"stray {sorted(set(lines) - apps_on_disk())}")
    allowed = may_import()
    for app, line in lines.items():
        assert "imports:" in line, f"the map's line for {app}/ says nothing of what it may import"
        said = line.split("imports:", 1)[1]
        below = allowed[app] - siblings(app)
        named = {w for w in re.findall(r"\w+", said) if w in allowed}
        if "everything below" in said:
            named |= below
        assert named <= allowed[app], f"{app}/: the map lets it import {sorted(named - allowed[app])}, the contract does not"
        assert below <= named, f"{app}/: the contract lets it import {sorted(below - named)}, the map does not say so"


def siblings(app):
    for members, together in layers():
        names = {n for n, _ in members}
        if app in names:
            return (names - {app}) if together else set()
    return set()


def late_imports():
    """(module path, line) of every import of the project inside a function, outside
    tests and migrations."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in f"/{rel}" or rel.endswith("conftest.py"):
            continue
        tree = ast.parse(path.read_text(), filename=rel)
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("xinfang")):
                    found.add((rel, node.lineno))
                elif isinstance(node, ast.Import) and any(a.name.startswith("xinfang") for a in node.names):
                    found.add((rel, node.lineno))
    return found


def test_no_import_hides_in_a_function_unless_its_reason_is_written_down():
    unexplained = sorted(f"xinfang/{rel}:{line}" for rel, line in late_imports() if rel not in LATE_IMPORTS)
    assert not unexplained, ("imports inside functions: move them to the top (a cycle means code is in the wrong "
                             f"layer), or give the reason in docs/decisions.md and LATE_IMPORTS: {unexplained}")


def test_each_allowed_late_import_is_explained_in_the_decisions():
    decisions = (ROOT / "docs" / "decisions.md").read_text()
    section = decisions.split("## Imports inside functions", 1)[1].split("\n## ", 1)[0]
    missing = [rel for rel in LATE_IMPORTS if f"xinfang/{rel}" not in section]
    assert not missing, f"docs/decisions.md does not explain the late imports of {missing}"
