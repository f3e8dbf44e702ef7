"""The `osintlab` commands speak the officers' languages: every help text, argparse's own words
(usage, options, errors), and the language a command chose is given back afterwards."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from osintlab import cli, i18n
from osintlab.l10n import catalogs

SHIPPED = [lang.code for lang in catalogs.languages()]


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    i18n.set_language(None)


def _parsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def _texts(lang: str) -> dict[str, str]:
    """Every help text and description of every `osintlab` command, as built in `lang`."""
    i18n.set_language(lang)
    out = {}
    for prog, parser in _parsers(cli.build_parser()):
        if parser.description:
            out[f"{prog}: description"] = parser.description
        for action in parser._actions:
            if action.help and action.help != argparse.SUPPRESS:
                out[f"{prog} {'/'.join(action.option_strings) or action.dest}"] = action.help
            for sub in getattr(action, "_choices_actions", ()):  # a subcommand's line in its parent's help
                out[f"{prog} {sub.dest}: help"] = sub.help
    return out


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_help_text_of_every_command_is_translated(lang: str) -> None:
    english, local = _texts("en"), _texts(lang)
    assert english.keys() == local.keys()
    same = [where for where, text in english.items() if re.search("[a-z]{3}", text) and local[where] == text]
    assert same == [], f"{len(same)} help texts still in English, e.g. {same[:5]} (mark them with _())"


@pytest.mark.parametrize("lang", SHIPPED)
def test_help_pages_use_argparse_words_from_our_catalogue(lang: str) -> None:
    i18n.set_language(lang)
    pages = [parser.format_help() for _prog, parser in _parsers(cli.build_parser())]  # %-formats every help
    usage, options = i18n._("usage: "), i18n._("options")
    assert usage != "usage: " and options != "options"
    assert all(page.startswith(usage) and f"\n{options}:\n" in page for page in pages)
    assert not any("show this help message" in page for page in pages)


def test_argparse_errors_speak_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    i18n.set_language("mn")
    with pytest.raises(SystemExit) as stop:
        cli.main(["cohort", "init"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "osintlab cohort init: алдаа: дараах аргументууд заавал хэрэгтэй: dir, --country, --roster" in err
    i18n.set_language(None)
    with pytest.raises(SystemExit):
        cli.main(["cohort", "init"])
    assert "error: the following arguments are required: dir" in capsys.readouterr().err  # English unchanged


def test_argparse_messages_are_all_extracted() -> None:
    ids = {m.id for m in catalogs.extract_messages() if m.id}
    assert set(cli.ARGPARSE_MESSAGES) <= ids


def test_percent_placeholders_are_checked() -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="mn")
    catalog.add("unrecognized arguments: %s", "танигдаагүй аргументууд")
    catalog.add("%(prog)s: error: %(message)s\n", "%(prog)s: алдаа: %(message)s\n")
    found = catalogs.problems(catalog, "x.po", "mn")
    assert len(found) == 1 and "unrecognized" in found[0] and "%(name)s / %s placeholders differ" in found[0]


def test_chosen_language_is_what_set_language_chose() -> None:
    assert i18n.chosen_language() is None
    i18n.set_language("bn")
    assert i18n.chosen_language() == "bn"
    i18n.set_language("en")
    assert i18n.chosen_language() == "en"
    i18n.set_language(None)
    assert i18n.chosen_language() is None


def test_pgettext_keeps_words_apart_by_context() -> None:
    with i18n.speaking("mn"):
        assert i18n._("phone") == "утас"  # the reader's label
        assert i18n.pgettext(i18n.ANSWER_OPTION, "phone") == "утас (phone)"  # an answer option keeps its code
        assert i18n.pgettext(i18n.ANSWER_OPTION, "no such code") == "no such code"
    assert i18n.pgettext(i18n.ANSWER_OPTION, "phone") == "phone"
    assert i18n.NP_(i18n.ANSWER_OPTION, "phone") == "phone"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_python_message_is_translated(lang: str) -> None:
    """A new or changed `_()`, `ngettext()`, `pgettext()` or `N_()` text reaches the shipped languages
    (osintlab i18n update, then translate) in the same change."""
    catalog = catalogs.read_catalog(catalogs.po_path(catalogs.PROJECT, lang), lang)
    missing = []
    for message in catalogs.extract_messages():
        if not message.id:
            continue
        have = catalog.get(message.id, message.context)
        if have is None or have.fuzzy or not all(have.string if isinstance(have.string, tuple) else [have.string]):
            missing.append(message.id)
    assert missing == [], f"{len(missing)} messages not translated in {lang}, first {missing[:3]}"


def test_lab_commands_speak_the_language(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("bn")
    out = tmp_path / "w1-01"
    assert cli.main(["lab", "prepare", "w1-01-passive-active", "--seed", "3", "--out", str(out)]) == 0
    assert f"{out / 'case'} (প্রশিক্ষণার্থীকে দিন) ও {out / 'key'} (শুধু গ্রেডিংয়ের জন্য)" in capsys.readouterr().out
    assert cli.main(["lab", "check", "--jobs", "0"]) == 2
    assert "osintlab: ত্রুটি: --jobs 0 অবশ্যই 1 বা তার বেশি হতে হবে।" in capsys.readouterr().err
