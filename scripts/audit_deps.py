"""pip-audit over the locked dependencies (requirements.lock, every package pinned), with
an honest answer when it cannot look.

Exit 1 when a known vulnerability is found. When no vulnerability service answers (an
intranet, or a mirror without PyPI's JSON API), pip-audit reports every package as
"could not be audited" and exits 0, which reads like a pass: this script says
"skipped: vulnerability service unreachable" instead, and exits 1 for that too when
PIP_AUDIT_REQUIRED=1 (for a build machine that can reach PyPI or OSV).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
SERVICES = ["pypi", "osv"]


def run(service):
    cmd = [str(VENV_BIN / "pip-audit"), "--requirement", str(LOCK), "--no-deps", "--disable-pip",
           "--vulnerability-service", service, "--format", "json", "--progress-spinner", "off", "--timeout", "20"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        return None, result.stderr.strip().splitlines()[-1:] or ["no output"]
    return report, []


def main():
    required = os.environ.get("PIP_AUDIT_REQUIRED") == "1"
    for service in SERVICES:
        report, errors = run(service)
        deps = (report or {}).get("dependencies", [])
        audited = [d for d in deps if "skip_reason" not in d]
        if not audited:
            print(f"pip-audit ({service}): no package could be audited {errors or ''}".rstrip())
            continue
        vulnerable = [d for d in audited if d.get("vulns")]
        skipped = len(deps) - len(audited)
        for d in vulnerable:
            for v in d["vulns"]:
                fixed = ", ".join(v.get("fix_versions") or []) or "no fix yet"
                print(f"  {d['name']} {d['version']}: {v['id']} (fixed in {fixed})")
        print(f"pip-audit ({service}): {len(audited)} packages audited, {len(vulnerable)} vulnerable"
              + (f", {skipped} not found on the index" if skipped else ""))
        return 1 if vulnerable else 0
    print("pip-audit: skipped: vulnerability service unreachable (neither PyPI's JSON API nor OSV answered)")
    return 1 if required else 0


if __name__ == "__main__":
    sys.exit(main())
