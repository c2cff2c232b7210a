"""The app finds templates/, static/ and questions/ from a checkout, an editable install and a built wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quizapp.paths import PACKAGE_DIR, resource_root

ROOT = Path(__file__).resolve().parents[1]


def test_checkout_layout_is_found_beside_the_package() -> None:
    assert resource_root() == PACKAGE_DIR.parent == ROOT


def test_wheel_layout_is_found_inside_the_package(tmp_path: Path) -> None:
    package = tmp_path / "quizapp"
    for folder in ("templates", "static", "questions"):
        (package / "_data" / folder).mkdir(parents=True)
    assert resource_root(package) == package / "_data"


def test_missing_folders_are_reported(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="cannot find its templates"):
        resource_root(tmp_path / "quizapp")


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel and unpacked as site-packages would hold it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    target = out / "site"
    with zipfile.ZipFile(next(out.glob("quizapp-*.whl"))) as wheel:
        wheel.extractall(target)
    return target


def test_installed_wheel_serves_pages(unpacked_wheel: Path, tmp_path: Path) -> None:
    script = (
        "import quizapp, sys; from quizapp import create_app; from quizapp.extensions import db;"
        "from quizapp.services.setup import initialise_database; from pathlib import Path;"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/w.sqlite3',"
        " 'SECRET_KEY': 'x'});"
        "ctx = app.app_context(); ctx.push(); initialise_database(Path(app.config['QUESTIONS_DIR']));"
        "page = app.test_client().get('/'); print(quizapp.__file__); print(app.template_folder);"
        "print(page.status_code)"
    )
    env = {
        "PYTHONPATH": str(unpacked_wheel),
        "QUIZAPP_INSTANCE_PATH": str(tmp_path / "instance"),
        "PATH": "/usr/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    module_file, templates, status = result.stdout.split()
    assert module_file.startswith(str(unpacked_wheel))
    assert templates == str(unpacked_wheel / "quizapp" / "_data" / "templates")
    assert status == "200"


def test_installed_wheel_carries_the_common_password_list(unpacked_wheel: Path, tmp_path: Path) -> None:
    """The password policy reads its list from inside the package, never from the network."""
    listed = unpacked_wheel / "quizapp" / "data" / "common-passwords.txt"
    assert listed.read_bytes() == (ROOT / "quizapp" / "data" / "common-passwords.txt").read_bytes()
    assert (unpacked_wheel / "quizapp" / "data" / "common-passwords.LICENSE").is_file()
    script = (
        "from quizapp.domain.passwords import COMMON_PASSWORDS, password_problem;"
        "print(COMMON_PASSWORDS); print(password_problem('password1234'))"
    )
    env = {"PYTHONPATH": str(unpacked_wheel), "PATH": "/usr/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    path, problem = result.stdout.splitlines()
    assert path == str(listed)
    assert problem.startswith("This password is on a list of common passwords")
