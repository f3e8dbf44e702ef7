"""Link chart: typed entities, labelled links, drawing and GraphML round-trip."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osintlab.errors import UserError
from sandbox.linkchart import KINDS, LinkChart


def _chart() -> LinkChart:
    chart = LinkChart()
    chart.add("person", "Bold B.")
    chart.add("account", "nomadbook:bold_recruit", "@bold_recruit", url="https://nomadbook.example/bold_recruit")
    chart.add("phone", "+97615112869")
    chart.add("wallet", "tb1qexample0000000000000000000000000000")
    chart.link("Bold B.", "nomadbook:bold_recruit", "uses")
    chart.link("nomadbook:bold_recruit", "+97615112869", "lists phone", source="cap-1")
    chart.link("nomadbook:bold_recruit", "+97615112869", "phone in job ad")
    return chart


def test_entities_and_links_frames() -> None:
    chart = _chart()
    ents = chart.entities().set_index("id")
    assert ents.loc["nomadbook:bold_recruit", "links"] == 3 and ents.loc["Bold B.", "kind"] == "person"
    assert len(chart.links()) == 3  # two different links between the same pair are both kept


def test_bad_kind_missing_entity_empty_label() -> None:
    chart = _chart()
    with pytest.raises(UserError, match="kind 'vehicle' is unknown"):
        chart.add("vehicle", "X")
    with pytest.raises(UserError, match="not on the chart"):
        chart.link("Bold B.", "nobody", "knows")
    with pytest.raises(UserError, match="no label"):
        chart.link("Bold B.", "+97615112869", " ")


def test_draw_colours_by_kind_with_legend() -> None:
    fig = _chart().draw()
    ax = fig.axes[0]
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert legend == {"person", "account", "phone", "wallet"}
    assert ax.get_title() == "4 entities, 3 links"
    assert LinkChart().draw().axes[0].get_title().startswith("Empty chart")


def test_draw_speaks_the_course_language_and_shows_the_kind_codes() -> None:
    from osintlab.i18n import speaking

    with speaking("bn"):
        ax = _chart().draw().axes[0]
        empty = LinkChart().draw().axes[0].get_title()
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert legend == {"ব্যক্তি (person)", "অ্যাকাউন্ট (account)", "ফোন (phone)", "ওয়ালেট (wallet)"}  # codes for add()
    assert ax.get_title() == "4টি এন্টিটি, 3টি সংযোগ"
    assert empty == "খালি চার্ট: chart.add(kind, id) দিয়ে এন্টিটি যোগ করুন"


def test_every_kind_has_a_word_for_translators() -> None:
    from sandbox import linkchart

    assert set(linkchart._KIND_WORDS) == set(KINDS)


def test_graphml_round_trip(tmp_path: Path) -> None:
    path = _chart().to_graphml(tmp_path / "chart.graphml")
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.nodes["+97615112869"]["kind"] == "phone"
    assert graph.number_of_edges() == 3
    assert {d["label"] for *_, d in graph.edges(data=True)} == {"uses", "lists phone", "phone in job ad"}
    assert set(KINDS) >= {d["kind"] for _, d in graph.nodes(data=True)}


def test_every_label_of_a_busy_chart_is_readable() -> None:
    """Long ids and names are wrapped, nothing is cut by the edge, no label hides another."""
    from sandbox.figures import label_problems

    chart = LinkChart()
    people = ["Batbayar Ganbold-Enkhjargal", "Saraa Dorj", "Tuvshin Erdene", "Bold Batbayar"]
    for i, name in enumerate(people):
        chart.add("person", name)
        chart.add("account", f"nomadbook:{name.lower().replace(' ', '_')}_recruitment_official")
        chart.add("phone", f"+9761511286{i}")
        chart.add("wallet", f"tb1q{'x' * 30}{i}")
        chart.link(name, f"nomadbook:{name.lower().replace(' ', '_')}_recruitment_official", "uses")
        chart.link(name, f"+9761511286{i}", "listed on the account's profile page")
        chart.link(name, f"tb1q{'x' * 30}{i}", "receives the job fees")
        chart.link(name, f"tb1q{'x' * 30}{i}", "named in a victim's chat")
    chart.link("Saraa Dorj", "Bold Batbayar", "co-director of the agency")
    fig = chart.draw()
    assert label_problems(fig) == []
    texts = [t.get_text().replace("\n", " ") for t in fig.axes[0].texts]
    assert any("receives the job fees" in t and "named in a victim's chat" in t for t in texts)  # one label per pair


def test_names_in_the_region_scripts_are_drawn_whatever_fonts_the_process_set() -> None:
    """Mongolian, Bengali and Thai names get their glyphs (matplotlib warns of a missing glyph), and
    the chart does not depend on rcParams that other code changed (the cohort report once did)."""
    import warnings

    import matplotlib

    from sandbox.figures import label_problems

    chart = LinkChart()
    for name in ("Саран Дорж", "আরিফ হোসেন", "สมชาย ใจดี", "Bold Batbayar"):
        chart.add("person", name)
    chart.link("Саран Дорж", "আরিফ হোসেন", "পেমেন্ট পাঠায়")
    chart.link("สมชาย ใจดี", "Bold Batbayar", "хамтрагч")
    with matplotlib.rc_context({"font.family": ["serif"], "font.size": 14}), warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        fig = chart.draw()
        assert label_problems(fig) == []
    families = {t.get_fontfamily()[0] for t in fig.axes[0].texts}
    assert families == {"Noto Sans"}, families


def test_wrap_label() -> None:
    from sandbox.figures import wrap_label

    assert wrap_label("short") == "short"
    assert wrap_label("tb1q" + "x" * 60) == "tb1qxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxx…"


def test_label_problems_names_labels_on_top_of_each_other_and_outside() -> None:
    """The readability check the chart tests rely on does find what it looks for."""
    from matplotlib.figure import Figure

    from sandbox.figures import label_problems

    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "Saraa Dorj")
    ax.text(0.5, 0.5, "Bold Batbayar")
    ax.text(5.0, 0.5, "far away")
    ax.text(0.1, 0.9, "alone")
    assert sorted(label_problems(fig)) == ["'Saraa Dorj' overlaps 'Bold Batbayar'", "'far away' is outside the picture"]


@pytest.mark.parametrize("word", ["বাংলাদেশওভারসিজএমপ্লয়মেন্টঅ্যান্ডসার্ভিসেসলিমিটেড",  # Bengali conjuncts
                                  "ស្ត្រីភ្នំពេញស្ត្រីភ្នំពេញស្ត្រីភ្នំពេញស្ត្រី",  # Khmer subscripts
                                  "บริษัทจัดหางานเชียงใหม่รุ่งเรืองจำกัดเเละเพื่อน"])  # Thai marks, vowels typed first
def test_wrap_label_breaks_long_words_only_between_letters_a_reader_sees(word: str) -> None:
    """textwrap alone cut at any character: a line could start with a vowel sign or the half of a
    conjunct (drawn on a dotted circle) and the line before end in a virama."""
    import unicodedata

    from sandbox.figures import wrap_label

    word *= 2
    lines = wrap_label(word).split("\n")
    assert len(lines) == 3 and lines[-1].endswith("…")
    kept = "".join(lines).removesuffix("…")
    assert word.startswith(kept)
    for before, after in [*itertools.pairwise(lines), (kept, word[len(kept)])]:
        assert not unicodedata.category(after[0]).startswith("M"), (before, after)
        assert unicodedata.combining(before[-1]) != 9 and before[-1] not in "เแโใไ", (before, after)


REGION_CHARTS = {
    "bn": (["মোহাম্মদ আব্দুল করিম", "ফেরদৌসী বেগম", "রহিম উদ্দিন", "বাংলাদেশওভারসিজএমপ্লয়মেন্টসার্ভিসেস"],
           ["ব্যক্তিগত বার্তা পাঠায়", "চাকরির বিজ্ঞাপনে ফোন নম্বর", "কমিশনের টাকা নেয়"]),
    "th": (["สมชาย ใจดี", "น้ำฝน ศรีสุข", "ประเสริฐ แก้วมณี", "บริษัทจัดหางานเชียงใหม่รุ่งเรืองจำกัด"],
           ["ส่งข้อความส่วนตัว", "เบอร์โทรในประกาศรับสมัครงาน", "รับเงินค่านายหน้า"]),
}


@pytest.mark.parametrize("language", sorted(REGION_CHARTS))
def test_a_chart_of_bengali_or_thai_names_is_readable(language: str) -> None:
    """Shaped names (osintlab.plotfonts) are measured as drawn, so the readability check holds.
    The picture is kept in test-artifacts/linkchart-<language>.png to look at."""
    from sandbox.figures import label_problems

    names, links = REGION_CHARTS[language]
    chart = LinkChart()
    for name in names:
        chart.add("person", name)
    chart.add("phone", "+97615112869")
    for (a, b), label in zip(zip(names, [*names[1:], "+97615112869"], strict=False), links * 2, strict=False):
        chart.link(a, b, label)
    fig = chart.draw()
    assert label_problems(fig) == []
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    fig.savefig(artifacts / f"linkchart-{language}.png", dpi=100)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcxyz_:.-@ ёөүАБВ0123456789", max_size=90), st.sampled_from([1, 5, 18, 20]),
       st.sampled_from([2, 3]))
def test_wrap_label_wraps_latin_and_cyrillic_as_textwrap_did(text: str, width: int, lines: int) -> None:
    """The letter-aware breaking changes nothing for Latin and Cyrillic labels (same figures)."""
    import textwrap

    from sandbox.figures import wrap_label

    wrapped = textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], wrapped[lines - 1][: width - 1] + "…"]
    assert wrap_label(text, width, lines) == "\n".join(wrapped)
