"""Rosters as spreadsheets really save them: every table row of issue 12 is a minimal input here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.cohort import load_roster, read_roster
from osintlab.cli import main
from osintlab.errors import UserError

HEADER = "trainee_id,name,agency,email\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_spaces_after_the_commas_of_the_header(tmp_path: Path) -> None:
    trainees = read_roster(write(tmp_path, "trainee_id, name, agency, email\nmn-001, Officer A, Police, a@t.example\n"))
    assert (trainees[0].agency, trainees[0].email) == ("Police", "a@t.example")


def test_column_names_in_any_case_and_extra_columns(tmp_path: Path) -> None:
    text = "Trainee_ID,Name,Rank,Agency,Email\nmn-001,Officer A,Major,Police,a@t.example\n"
    trainees = read_roster(write(tmp_path, text))
    assert (trainees[0].trainee_id, trainees[0].agency) == ("mn-001", "Police")


def test_semicolon_separated_as_excel_saves_it_in_many_locales(tmp_path: Path) -> None:
    trainees = read_roster(write(tmp_path, "trainee_id;name;agency;email\nmn-001;Officer A, Jr;Police;a@t.example\n"))
    assert (trainees[0].name, trainees[0].email) == ("Officer A, Jr", "a@t.example")
    tabbed = read_roster(write(tmp_path, "trainee_id\tname\tagency\temail\nmn-001\tOfficer A\tPolice\t\n"))
    assert tabbed[0].agency == "Police"


def test_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "mn-001,Officer A,Police,a@t.example\n").encode())
    assert read_roster(path)[0].trainee_id == "mn-001"


def test_dotted_login_names(tmp_path: Path) -> None:
    trainees = read_roster(write(tmp_path, HEADER + "g.ganbold,G. Ganbold,Police,g@t.example\n"))
    assert trainees[0].trainee_id == "g.ganbold"
    for bad in ("g..ganbold", ".ganbold", "ganbold.", "G.Ganbold", "g+ganbold"):
        with pytest.raises(UserError, match=re.escape(f"trainee_id '{bad}' must be the officer's login name")):
            read_roster(write(tmp_path, HEADER + f"{bad},G. Ganbold,Police,\n"))


def test_line_numbers_are_the_files_own_after_blank_lines(tmp_path: Path) -> None:
    text = HEADER + "mn-001,Officer A,Police,a@t.example\n\n\n" + '"mn-002","Officer\nB",Police,b@t.example\n' + \
        "MN 003,Officer C,Police,c@t.example\n"
    with pytest.raises(UserError) as error:
        read_roster(write(tmp_path, text))
    assert "  line 7: trainee_id 'MN 003'" in str(error.value)  # 2 blank lines and a quoted line break counted


def test_emails_equal_ignoring_case_are_refused_naming_the_address(tmp_path: Path) -> None:
    text = HEADER + "mn-001,Officer A,Police,unit7@agency.example\nmn-002,Officer B,Police,Unit7@Agency.example\n"
    with pytest.raises(UserError, match=r"line 3: email 'Unit7@Agency.example' is already used on line 2"):
        read_roster(write(tmp_path, text))


def test_blank_emails_are_warned_at_init(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, HEADER + "mn-001,Officer A,Police,a@t.example\nmn-002,Officer B,Police,\n")
    assert load_roster(path).warnings == [f"roster {path}, line 3: mn-002 has no e-mail address; the Moodle export "
                                          "needs one (the CSV export does not)."]
    assert main(["cohort", "init", str(tmp_path / "c"), "--country", "MN", "--roster", str(path)]) == 0
    assert "warning: roster" in capsys.readouterr().err


def test_a_missing_column_names_the_separator_choices(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"missing column email on line 1.*commas, semicolons or tabs"):
        read_roster(write(tmp_path, "trainee_id;name;agency\nmn-001;A;Police\n"))


def test_officers_added_later_must_be_new_to_the_course(tmp_path: Path) -> None:
    course = read_roster(write(tmp_path, HEADER + "mn-001,Officer A,Police,a@t.example\n"))
    late = write(tmp_path, HEADER + "mn-001,Officer A,Police,x@t.example\nmn-002,Officer B,Police,A@T.example\n")
    with pytest.raises(UserError) as error:
        load_roster(late, existing=course)
    assert "line 2: trainee_id 'mn-001' is already used on the course" in str(error.value)
    assert "line 3: email 'A@T.example' is already used on the course" in str(error.value)
