"""Where the app's top-level folders are, in a source checkout, an editable install or a wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_root(package_dir: Path = PACKAGE_DIR) -> Path:
    """The folder holding templates/, static/ and questions/.

    A wheel carries them in the package's `_data` folder; a checkout (editable or not installed) has them
    beside the package.
    """
    for candidate in (package_dir / "_data", package_dir.parent):
        if (candidate / "templates").is_dir() and (candidate / "questions").is_dir():
            return candidate
    raise RuntimeError(f"quizapp cannot find its templates/ and questions/ folders near {package_dir}")
