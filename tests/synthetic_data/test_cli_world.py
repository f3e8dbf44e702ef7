"""`osintlab world ...` from the command line: results, exit codes and one-sentence errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from osintlab.cli import main
from osintlab.errors import UserError
from synthetic_data import generator


def run(*args: str) -> int:
    return main(["world", *args])


def test_list_shows_countries_and_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("list") == 0
    out = capsys.readouterr().out
    for expected in ("MN", "BD", "TH", "scam-compound-recruitment", "labour-debt-bondage"):
        assert expected in out


def test_generate_then_describe_and_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "w"
    assert run("generate", "--country", "MN", "--scenario", "dating-app-lure", "--seed", "4", "--out", str(out)) == 0
    assert (out / "case" / "manifest.json").is_file() and (out / "key" / "truth.json").is_file()
    assert run("describe", str(out)) == 0
    described = capsys.readouterr().out
    assert "dating-app-lure" in described and "pages" in described and "Nomadbook" in described
    assert run("validate", str(out)) == 0


def test_unknown_country_lists_valid_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("generate", "--country", "XX", "--out", str(tmp_path / "w")) == 2
    err = capsys.readouterr().err
    assert "XX" in err and "MN" in err and "Traceback" not in err
    assert not (tmp_path / "w").exists()


def test_unknown_scenario_lists_valid_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("generate", "--scenario", "nope", "--out", str(tmp_path / "w")) == 2
    assert "scam-compound-recruitment" in capsys.readouterr().err


def test_non_empty_out_is_refused_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "w"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    assert run("generate", "--out", str(out)) == 2
    assert "--force" in capsys.readouterr().err
    assert (out / "precious.txt").read_text() == "keep me"
    assert run("generate", "--out", str(out), "--force") == 0
    assert not (out / "precious.txt").exists() and (out / "case").is_dir()


def test_failure_mid_write_leaves_nothing_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "w"

    def broken(*args: object, **kwargs: object) -> None:
        raise UserError("simulated failure while generating")

    monkeypatch.setattr(generator.pages, "make_background", broken)
    assert run("generate", "--out", str(out)) == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_validate_lists_unsafe_identifiers_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "w"
    assert run("generate", "--out", str(out)) == 0
    pages = out / "case" / "pages.jsonl"
    pages.write_text(pages.read_text() + '{"page_id":"x","text":"mail bold@gmail.com or +97699112233"}\n')
    assert run("validate", str(out)) == 1
    printed = capsys.readouterr().out
    assert "gmail.com" in printed and "pages.jsonl" in printed


def test_not_a_world_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("describe", str(tmp_path)) == 2
    assert "is not a case world" in capsys.readouterr().err


def test_console_script_runs() -> None:
    exe = Path(sys.executable).with_name("osintlab")
    result = subprocess.run([str(exe), "world", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "generate" in result.stdout


def test_list_and_describe_speak_the_chosen_language(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "w"
    assert run("generate", "--seed", "5", "--out", str(out)) == 0
    capsys.readouterr()
    monkeypatch.setenv("OSINTLAB_LANG", "mn")
    assert run("describe", str(out)) == 0
    described = capsys.readouterr().out
    for heading in (f"Ертөнц: {out}", "Улсууд: MN -> ", "Агуулга:", "Хуудас төрлөөр:", "Гүйлгээ төлбөрийн сувгаар:",
                    "Платформууд:", "архивын хуулбар"):
        assert heading in described, described
    assert "scam-compound-recruitment" in described and "Nomadbook" in described  # the world's own data stays
    assert "Holds:" not in described and "Pages by kind:" not in described
    monkeypatch.setenv("OSINTLAB_LANG", "bn")
    assert run("list") == 0
    listed = capsys.readouterr().out
    assert listed.startswith("দেশ (") and "\nদৃশ্যপট:\n" in listed
    assert "ও ইংরেজিতে পাতা; নাম " in listed and "টি শহর" in listed and " cities" not in listed  # each pack's line
    assert run("validate", str(out)) == 0
    assert "প্রতিটি শনাক্তকারী নিরাপদ ও কৃত্রিম" in capsys.readouterr().out
