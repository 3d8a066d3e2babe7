"""Copy the front-end files the pages use from node_modules/ into xinfang/static/vendor/.

Run after `npm ci`:  python -m xinfang.web.vendor
Pages load these files from our own server: intranets have no internet, so never a CDN.
Standard library only, so it runs before Django is configured.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules"
VENDOR = ROOT / "xinfang" / "static" / "vendor"

# (package, file inside the package, folder under vendor/)
FILES = [
    ("bootstrap", "dist/css/bootstrap.min.css", "bootstrap"),
    ("bootstrap", "dist/css/bootstrap.min.css.map", "bootstrap"),
    ("bootstrap", "dist/js/bootstrap.bundle.min.js", "bootstrap"),
    ("bootstrap", "dist/js/bootstrap.bundle.min.js.map", "bootstrap"),
    ("bootstrap", "LICENSE", "bootstrap"),
    ("bootstrap-icons", "font/bootstrap-icons.min.css", "bootstrap-icons"),
    ("bootstrap-icons", "font/fonts/bootstrap-icons.woff2", "bootstrap-icons/fonts"),
    ("bootstrap-icons", "font/fonts/bootstrap-icons.woff", "bootstrap-icons/fonts"),
    ("bootstrap-icons", "LICENSE", "bootstrap-icons"),
    ("htmx.org", "dist/htmx.min.js", "htmx"),
    ("htmx.org", "LICENSE", "htmx"),
    ("echarts", "dist/echarts.min.js", "echarts"),
    ("echarts", "LICENSE", "echarts"),
]


def main():
    missing = [f"{pkg}/{name}" for pkg, name, _ in FILES if not (NODE / pkg / name).is_file()]
    if missing:
        print("缺少前端文件，请先运行 npm ci / Missing files, run `npm ci` first:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    for pkg, name, folder in FILES:
        target = VENDOR / folder
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(NODE / pkg / name, target / Path(name).name)
    print(f"copied {len(FILES)} files into {VENDOR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
