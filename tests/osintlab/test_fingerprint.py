import shutil
import sys
from pathlib import Path

import pytest

from osintlab.fingerprint import source_fingerprint


def test_fingerprint_changes_when_a_data_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "fakepkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "data.yml").write_text("a: 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = source_fingerprint.__wrapped__("fakepkg")
    assert before == source_fingerprint.__wrapped__("fakepkg")
    (pkg / "data.yml").write_text("a: 2\n")
    assert source_fingerprint.__wrapped__("fakepkg") != before
    shutil.rmtree(pkg)
    sys.modules.pop("fakepkg", None)


def test_real_packages_have_a_short_fingerprint() -> None:
    value = source_fingerprint("synthetic_data", "labs")
    assert len(value) == 12 and int(value, 16) >= 0
