"""The domain layer imports no web or database library: it runs (and is tested) without Flask."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import quizapp

PACKAGE_DIR = Path(quizapp.__file__).resolve().parent
FORBIDDEN = ("flask", "sqlalchemy", "wtforms", "flask_sqlalchemy", "flask_wtf")

_PROBE = """
import importlib, json, sys
for name in {modules!r}:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {forbidden!r})))
"""


def domain_modules() -> list[str]:
    """Every module of quizapp.domain, as dotted names."""
    domain = PACKAGE_DIR / "domain"
    names = []
    for path in sorted(domain.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_domain_modules_are_found() -> None:
    names = domain_modules()
    for expected in ("article", "questions", "bank", "generation", "scoring", "answers"):
        assert f"quizapp.domain.{expected}" in names


def test_importing_the_domain_loads_no_web_or_database_library() -> None:
    probe = _PROBE.format(modules=domain_modules(), forbidden=FORBIDDEN)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
