"""How long figures take to draw, per script of the words on them. matplotlib >= 3.11 shapes
every text with libraqm/HarfBuzz (osintlab.plotfonts). Two figures: "text", 300 labels at fixed
places drawn to PNG (the cost of laying out, measuring and drawing text alone); "chart", a link
chart's draw() and PNG as a notebook shows it (mostly adjustText moving labels apart, whose number
of passes depends on the labels' sizes).

The baseline, measured in the same run, is the same chart with Latin names; each other script is
printed as a ratio to it. `--python OTHER/bin/python` runs the same measure under another
interpreter too (e.g. a venv with matplotlib 3.10, which draws without shaping) for a before/after.

    python benchmarks/bench_figures.py [--entities 16] [--runs 3] [--python PATH]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAMES = {
    "latin": ["Batbayar Ganbold", "Saraa Dorj", "Karim Uddin", "Somchai Jaidee", "Sokha Chan", "Arif Hossain"],
    "cyrillic": ["Батбаяр Ганболд", "Сараа Дорж", "Түвшин Эрдэнэ", "Болд Батбаяр", "Нарантуяа Бат", "Оюун Чимэг"],
    "bengali": ["মোহাম্মদ আব্দুল করিম", "ফেরদৌসী বেগম", "রহিম উদ্দিন", "আরিফ হোসেন", "কুলসুম আক্তার", "শাহানা পারভীন"],
    "thai": ["สมชาย ใจดี", "น้ำฝน ศรีสุข", "ประเสริฐ แก้วมณี", "สุนิสา ทองคำ", "วิไลวรรณ สุขใจ", "ธนพล รุ่งเรือง"],
    "khmer": ["សុខា ចាន់", "ស្រីពេជ្រ ហេង", "វណ្ណា គឹម", "សុភាព ម៉ៅ", "ចាន់ធី សុខ", "ស្ត្រី ភ្នំពេញ"],
}
LINK = {"latin": "sends payment", "cyrillic": "мөнгө илгээдэг", "bengali": "টাকা পাঠায়", "thai": "โอนเงิน",
        "khmer": "ផ្ញើប្រាក់"}


def draw_seconds(script: str, entities: int, runs: int) -> float:
    """Median seconds to draw a chart of `entities` persons in a ring and save it as PNG."""
    from sandbox.linkchart import LinkChart

    names = [f"{NAMES[script][i % 6]} {i}" for i in range(entities)]
    chart = LinkChart()
    for name in names:
        chart.add("person", name)
    for a, b in zip(names, names[1:] + names[:1], strict=True):
        chart.link(a, b, LINK[script])
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        chart.draw().savefig(io.BytesIO(), format="png", dpi=100)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def text_seconds(script: str, runs: int) -> float:
    """Median seconds to draw 300 labels (names and link words, 8.5 pt) at fixed places as PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from osintlab.plotfonts import script_fonts
    from sandbox.figures import LABEL_BOX

    words = [*NAMES[script], LINK[script]]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with script_fonts():
            fig = Figure(figsize=(10, 7.5))
            FigureCanvasAgg(fig)
            for i in range(300):
                fig.text((i % 12) / 12, (i // 12) / 25, words[i % len(words)], fontsize=8.5, bbox=LABEL_BOX)
            fig.savefig(io.BytesIO(), format="png", dpi=100)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(entities: int, runs: int) -> dict[str, object]:
    import matplotlib

    draw_seconds("latin", entities, 1)  # warm-up: imports, font cache
    return {"matplotlib": matplotlib.__version__,
            "text": {script: text_seconds(script, runs) for script in NAMES},
            "chart": {script: draw_seconds(script, entities, runs) for script in NAMES}}


def report(result: dict[str, object]) -> None:
    print(f"matplotlib {result['matplotlib']}")
    for figure in ("text", "chart"):
        seconds = result[figure]
        assert isinstance(seconds, dict)
        for script, value in seconds.items():
            print(f"  {figure:5s} {script:9s} {value * 1000:7.0f} ms   x{value / seconds['latin']:.2f} of latin")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--python", help="another interpreter to measure the same way, for a before/after")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    result = measure(args.entities, args.runs)
    if args.json:
        print(json.dumps(result))
        return
    report(result)
    if args.python:
        child = subprocess.run([args.python, __file__, "--json", "--entities", str(args.entities), "--runs",
                                str(args.runs)], check=True, capture_output=True, text=True, cwd=ROOT)
        other = json.loads(child.stdout.splitlines()[-1])
        report(other)
        for figure in ("text", "chart"):
            for script, value in result[figure].items():  # type: ignore[attr-defined]
                print(f"  {figure:5s} {script:9s} {result['matplotlib']} / {other['matplotlib']}: "
                      f"x{value / other[figure][script]:.2f}")


if __name__ == "__main__":
    main()
