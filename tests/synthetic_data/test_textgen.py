from synthetic_data.textgen import TextBuilder, compile_template


def test_cue_spans_are_exact_after_slot_filling() -> None:
    template = compile_template("Pay [[RF-HIGH-PAY|{salary} USD a month]] and [[RF-ALL-PAID|free {what}]].")
    text, cues = template.render({"salary": "2,500", "what": "flights"})
    assert text == "Pay 2,500 USD a month and free flights."
    assert [(c.indicator, text[c.start : c.end]) for c in cues] == [
        ("RF-HIGH-PAY", "2,500 USD a month"),
        ("RF-ALL-PAID", "free flights"),
    ]


def test_builder_shifts_cues_by_their_offset() -> None:
    builder = TextBuilder()
    builder.add("Opening line.")
    builder.add(*compile_template("[[ILO-7|They took my passport]].").render({}))
    builder.add("Bye.", sep="\n\n")
    text, cues = builder.build()
    assert text == "Opening line. They took my passport.\n\nBye."
    assert text[cues[0].start : cues[0].end] == "They took my passport"
