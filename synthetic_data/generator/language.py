"""Worlds in the country's languages: a share of pages, posts, comments, chats and ads written
in the language and script of the author's country, from per-language content banks.

A language is a folder `synthetic_data/content/<lang>/` (data only, like a country pack):
`language.yml` (settings and the terms that fill slots) and `texts.yml` (the same text banks
and chat scripts as the English ones in `content/*.yml`, with the same slots and the same
planted indicators). A country writes in the first of its pack's `languages` that has a folder.

The step runs after every other generation step (`localise(g)`): it rewrites chosen pages and
threads in place, so it never shifts the RNG streams of the other steps. It draws only from its
own RNG (`osintlab-world:<seed>:language`). Each rewritten storyline page plants exactly the
indicators its English draw planted (same multiset), so the key's labels do not depend on the
language; cues keep exact spans (`page.text[start:end] == cue.text`). Archive captures and edit
histories follow the page. Storyline pages on the job board stay in English for now: lab w1-03's
key reads their English text (its "licence" rule and its reference query); see `local_query`
for the local-language query that lab can adopt.
"""

from __future__ import annotations

import copy
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date

from osintlab.errors import UserError
from osintlab.yamlfile import read_yaml
from synthetic_data.country import CountryPack, load_country
from synthetic_data.generator.context import Gen
from synthetic_data.generator.slots import Ctx, make_slots, resolvers
from synthetic_data.model import Cue, Message, Page, PageTruth, Person
from synthetic_data.scenario import CONTENT_DIR, KNOWN_SLOTS, validate_against
from synthetic_data.textgen import TextBuilder, compile_template, indicators_in, slots_in

# Storyline pages on these platform kinds stay English (lab w1-03 reads them; see the docstring).
KEEP_ENGLISH_PLATFORMS = frozenset({"jobs"})
# Slots whose values are numbers: written in the language's digits (Bengali digits for bn).
NUMBER_SLOTS = frozenset(
    """salary_usd salary_local debt_usd fee_local price_usd price_air_usd deposit_usd price_local
    wage_local count hours days years""".split()
)
# ISO 15924 script -> the first word of the Unicode character names of its letters.
SCRIPT_NAMES = {
    "Cyrl": "CYRILLIC", "Beng": "BENGALI", "Thai": "THAI", "Khmr": "KHMER", "Mymr": "MYANMAR", "Laoo": "LAO",
    "Sinh": "SINHALA", "Taml": "TAMIL", "Deva": "DEVANAGARI", "Arab": "ARABIC", "Latn": "LATIN",
    "Tibt": "TIBETAN", "Thaa": "THAANA",
}
DIGITS = {"latn": "0123456789", "beng": "০১২৩৪৫৬৭৮৯", "thai": "๐๑๒๓๔๕๖๗๘๙", "khmr": "០១២៣៤៥៦៧៨៩",
          "mymr": "၀၁၂၃၄၅၆၇၈၉", "deva": "०१२३४५६७८९"}
# Slots whose values identify someone or something in the world (accounts, organisations, sites,
# numbers): a rewrite keeps the value the English text gave, so a page names the same company,
# handle, address and number in every language (the key and the consistency check rely on it).
IDENTIFIER_SLOTS = frozenset(
    """phone phone_local mule_phone wallet email website messenger messenger_handle recruiter_handle company
    registration licence agency agency_brand local_company name jobs_platform dating_platform""".split()
)
PAGE_KINDS = ("post", "comment", "listing", "forum_thread", "news", "job_ad", "profile")
_PROFILE_LINES = (("lives_in", "Lives in "), ("phone", "Phone: "), ("email", "E-mail: "),
                  ("website", "Website: "), ("joined", "Joined "))
_ORG_BIO = re.compile(r"Registration (\S+)\.(?: Licence (\S+)\.)?")


@dataclass(frozen=True)
class Language:
    """One language folder, validated."""

    code: str  # ISO 639-1/-3, e.g. "mn"
    name: str
    script: str  # ISO 15924
    babel: str  # CLDR locale for country and month names
    digits: str  # "latn" | "beng" | ...
    date_format: str  # CLDR pattern for the {date} slot
    month_format: str  # CLDR pattern for the {month} slot
    share: dict[str, float]  # page kind -> share written in this language
    threads: float  # share of chat threads between two speakers
    storyline: float  # share of storyline pages (those with a key entry) written in this language
    terms: dict[str, Any]  # jobs, relations, topics, items, currencies, exonyms, bios, profile, call
    texts: dict[str, Any]
    scripts: dict[str, Any]
    path: Path = field(compare=False)

    def term(self, group: str, english: str) -> str:
        """The translation of `english` in terms[group], or `english` itself."""
        return str(self.terms.get(group, {}).get(english, english))

    def number(self, text: str) -> str:
        return text.translate(str.maketrans("0123456789", DIGITS[self.digits]))


@cache
def language_dirs(content_dir: Path = CONTENT_DIR) -> dict[str, Path]:
    """Language code -> folder, for every content/<lang>/language.yml."""
    return {p.parent.name: p.parent for p in sorted(Path(content_dir).glob("*/language.yml"))}


@cache
def load_language(code: str, content_dir: Path = CONTENT_DIR) -> Language:
    """Read and check one language folder; UserError names the file and field on a mistake."""
    folder = Path(content_dir) / code
    settings = read_yaml(folder / "language.yml")
    where = folder / "language.yml"
    for key in ("lang", "name", "script", "babel", "digits", "share", "threads", "jobs", "profile", "call"):
        if key not in (settings or {}):
            raise UserError(f"{where}: field {key}: missing; add it (see content/mn/language.yml).")
    if settings["lang"] != code:
        raise UserError(f"{where}: field lang: {settings['lang']!r} differs from the folder name {code!r}.")
    if settings["script"] not in SCRIPT_NAMES or settings["digits"] not in DIGITS:
        raise UserError(f"{where}: field script/digits: use one of {sorted(SCRIPT_NAMES)} / {sorted(DIGITS)}.")
    unknown = set(settings["share"]) - set(PAGE_KINDS)
    if unknown:
        raise UserError(f"{where}: field share: unknown page kind {sorted(unknown)[0]!r}; use {PAGE_KINDS}.")
    Locale.parse(settings["babel"])  # raises for a locale CLDR does not have
    texts_path = folder / "texts.yml"
    bank = read_yaml(texts_path) or {}
    validate_against("content", bank, texts_path)
    _check_templates(bank, texts_path)
    terms = {k: v for k, v in settings.items() if k not in ("lang", "name", "script", "babel", "digits", "share",
                                                            "threads", "storyline", "date_format", "month_format")}
    return Language(
        code=code, name=settings["name"], script=settings["script"], babel=settings["babel"],
        digits=settings["digits"], date_format=settings.get("date_format", "d MMMM"),
        month_format=settings.get("month_format", "LLLL"), share=dict(settings["share"]),
        threads=float(settings["threads"]), storyline=float(settings.get("storyline", 0.5)), terms=terms,
        texts=bank.get("texts", {}),
        scripts=bank.get("scripts", {}), path=folder,
    )


def _check_templates(bank: dict[str, Any], path: Path) -> None:
    for section in ("texts", "scripts"):
        for name, spec in bank.get(section, {}).items():
            for where, text in _strings(spec, f"{section}.{name}"):
                unknown = slots_in(text) - KNOWN_SLOTS
                if unknown:
                    raise UserError(f"{path}: field {where}: unknown slot {{{sorted(unknown)[0]}}}; use the "
                                    "slots of the English banks.")
    for name, spec in bank.get("texts", {}).items():
        for indicator, templates in spec.get("cues", {}).items():
            for i, template in enumerate(templates):
                if indicator not in indicators_in(template):
                    raise UserError(f"{path}: field texts.{name}.cues.{indicator}[{i}]: the template must plant "
                                    f"[[{indicator}|...]]; add the marker around the cue text.")


def _strings(node: Any, where: str) -> list[tuple[str, str]]:
    if isinstance(node, str):
        return [(where, node)]
    if isinstance(node, list):
        return [s for i, item in enumerate(node) for s in _strings(item, f"{where}[{i}]")]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _strings(v, f"{where}.{k}")]
    return []


def language_of(pack: CountryPack) -> Language | None:
    """The language a country's pages are written in: its first pack language with a folder."""
    dirs = language_dirs()
    return next((load_language(code) for code in pack.languages if code in dirs), None)


def script_share(text: str, script: str) -> float:
    """Share of the letters of `text` that belong to `script` (ISO 15924), 0.0 for no letters."""
    import unicodedata

    prefix = SCRIPT_NAMES[script]
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(unicodedata.name(ch, "").startswith(prefix) for ch in letters) / len(letters)


# ---------------------------------------------------------------- slots in a language


class _Unavailable(Exception):
    """A slot whose value the world does not hold (the template is skipped for another)."""


class _Writer:
    """Renders text banks of one language inside one world, on the language step's own RNG."""

    def __init__(self, g: Gen, lang: Language, rng: random.Random) -> None:
        self.lang = lang
        self.locale = Locale.parse(lang.babel)
        # A shallow copy shares the world's records but has its own RNG and slot table, so the
        # English resolvers draw from the language step's stream, never from g.rng.
        self.g = copy.copy(g)
        self.g.rng = rng
        self.g.slot_table = {**resolvers(self.g), **self._overrides()}

    # Slot values in the language (everything else, identifiers above all, stays as is).
    def _overrides(self) -> dict[str, Callable[[Ctx], str]]:
        g, lang, data = self.g, self.lang, self.g.scenario.data
        o, d = g.origin, g.dest
        num = self._number
        base = resolvers(g)

        def pack(ctx: Ctx) -> CountryPack:
            return d if ctx.author is not None and ctx.author.country == d.code else o

        def city_of(ctx: Ctx) -> str:
            if ctx.author is None:
                return self.city(o, g.pick(o.cities).name)
            return self.city(pack(ctx), ctx.author.city)

        table: dict[str, Callable[[Ctx], str]] = {
            "job": lambda ctx: lang.term("jobs", g.pick(data["jobs"])),
            "legit_job": lambda ctx: lang.term("jobs", g.pick(data.get("legit_jobs") or data["jobs"])),
            "local_job": lambda ctx: lang.term("jobs", g.pick(pack(ctx).local_jobs)),
            "dest_country": lambda ctx: self.country(d),
            "origin_country": lambda ctx: self.country(o),
            "dest_country_tag": lambda ctx: self.country(d).replace(" ", ""),
            "dest_city": lambda ctx: self.city(d, g.pick(d.cities).name),
            "origin_city": lambda ctx: self.city(o, g.pick(o.cities).name),
            "city": city_of,
            "city_tag": lambda ctx: city_of(ctx).replace(" ", "").replace("-", ""),
            "dest_place": lambda ctx: self.place(d, g.pick(d.places).name),
            "origin_place": lambda ctx: self.place(o, g.pick(o.places).name),
            "place": lambda ctx: self.place(o, g.pick(o.places).name),
            "route": lambda ctx: (f"{self.city(o, g.pick(o.cities).name)} - {self.place(d, g.pick(d.places).name)}"
                                  f" - {self.city(d, g.pick(d.cities).name)}"),
            "currency": lambda ctx: self.currency(pack(ctx).currency),
            "dest_currency": lambda ctx: self.currency(d.currency),
            "month": lambda ctx: lang.number(format_date(g.moment(), lang.month_format, locale=self.locale)),
            "date": lambda ctx: lang.number(format_date(g.moment(), lang.date_format, locale=self.locale)),
            "relation": lambda ctx: g.pick(lang.terms["relations"]),
            "topic": lambda ctx: g.pick(lang.terms["topics"]),
            "item": lambda ctx: g.pick(lang.terms["items"]),
            "licensing_body": lambda ctx: self.authority(o, "labour_migration"),
            "victim_first": lambda ctx: self.given(ctx.victim),
            "recruiter_first": lambda ctx: self.given(ctx.recruiter),
        }
        for name in NUMBER_SLOTS:
            table[name] = num(table.get(name) or base[name])
        for name in ("phone", "phone_local"):
            table[name] = self._existing(base[name], lambda ctx: ctx.author is not None or bool(
                ctx.account is not None and ctx.account.phone))
        table["email"] = self._existing(base["email"], lambda ctx: ctx.author is not None or bool(
            ctx.org is not None and ctx.org.domain) or bool(ctx.account is not None and ctx.account.email))
        return table

    @staticmethod
    def _existing(resolve: Callable[[Ctx], str], held: Callable[[Ctx], bool]) -> Callable[[Ctx], str]:
        """A contact slot that gives only what the world holds (`held`): the English resolver would
        give a shop's account a new number, a record the language step must not change."""

        def contact(ctx: Ctx) -> str:
            if not held(ctx):
                raise _Unavailable
            return resolve(ctx)

        return contact

    def _number(self, resolve: Callable[[Ctx], str]) -> Callable[[Ctx], str]:
        return lambda ctx: self.lang.number(resolve(ctx))

    def country(self, pack: CountryPack) -> str:
        return str(self.locale.territories.get(pack.code, pack.name))

    def speaks(self, pack: CountryPack) -> bool:
        return self.lang.code in pack.languages

    def city(self, pack: CountryPack, name: str) -> str:
        if self.speaks(pack):
            return next((c.native for c in pack.cities if c.name == name), name)
        return self.lang.term("exonyms", name)

    def place(self, pack: CountryPack, name: str) -> str:
        if self.speaks(pack):
            return next((p.native or p.name for p in pack.places if p.name == name), name)
        return self.lang.term("exonyms", name)

    def currency(self, code: str) -> str:
        return self.lang.term("currencies", code)

    def authority(self, pack: CountryPack, role: str) -> str:
        found = pack.authority(role)
        if found is None:
            return self.lang.term("authorities", role)
        return found.native if self.speaks(pack) and found.native else found.name

    def given(self, person: Person | None) -> str:
        """The given name as written natively (the part a friend or relative would use)."""
        if person is None:
            return "?"
        pack = self.g.dest if person.country == self.g.dest.code else self.g.origin
        if not self.speaks(pack):
            return person.name_latin.split()[0]
        parts = person.name.split()
        if pack.name_style in ("patronymic", "family_given"):
            return parts[-1]
        return parts[0] if pack.name_style == "given_family" else person.name

    # ------------------------------------------------------------ rendering

    def render(self, name: str, ctx: Ctx, indicators: list[str]) -> tuple[str, str, list[Cue]] | None:
        """Title, text and cues of bank `name`, planting exactly `indicators` (in that order); None
        when a part it needs has no template the world can fill (see `_existing`)."""
        g, spec = self.g, self.lang.texts[name]
        slots = make_slots(g, ctx)
        title = self.one_of(spec["title"], ctx, slots)
        if title is None:
            return None
        body = TextBuilder()
        needed = [spec["opener"], *(spec["cues"][i] for i in indicators)]
        if "middle" in spec and g.chance(0.7):
            needed.insert(1, spec["middle"])
        for part in needed:
            line = self.one_of(part, ctx, slots)
            if line is None:
                return None
            body.add(*line)
        for detail in spec.get("details", []):
            if g.chance(0.8) and (line := self.one_of([detail], ctx, slots)) is not None:
                body.add(*line)
        closer = self.one_of(spec.get("closer", [""]), ctx, slots)
        if closer is not None and closer[0]:
            body.add(*closer, sep="\n\n")
        text, cues = body.build()
        return title[0], text, cues

    def one_of(self, templates: list[str], ctx: Ctx, slots: dict[str, str]) -> tuple[str, list[Cue]] | None:
        """The first template, in random order, whose slots the world can fill; None if none can."""
        for template in self.g.rng.sample(templates, len(templates)):
            try:
                return self.line(template, ctx, slots)
            except _Unavailable:
                continue
        return None

    def cue_sentence(self, name: str, indicator: str, ctx: Ctx) -> str | None:
        line = self.one_of(self.lang.texts[name]["cues"][indicator], ctx, make_slots(self.g, ctx))
        return line[0] if line else None

    def line(self, template: str, ctx: Ctx, slots: dict[str, str] | None = None) -> tuple[str, list[Cue]]:
        """One template rendered, its first letter capitalised (a slot value may start a sentence)."""
        text, cues = compile_template(template).render(slots if slots is not None else make_slots(self.g, ctx))
        first = text.split(" ", 1)[0]
        if text[:1].islower() and not any(mark in first for mark in (":", "@", ".")):
            text = text[0].upper() + text[1:]
            cues = [Cue(c.indicator, c.start, c.end, text[c.start : c.end]) for c in cues]
        return text, cues


# ---------------------------------------------------------------- the step


def localise(g: Gen) -> None:
    """Write a share of the world's pages and chat threads in its countries' languages.

    Call after every other generation step and before the world is finished. Draws only from
    `random.Random(f"osintlab-world:{seed}:language")`.
    """
    rng = random.Random(f"osintlab-world:{g.seed}:language")
    writers: dict[str, _Writer] = {}
    for pack in (g.origin, g.dest):
        lang = language_of(pack)
        if lang is not None and lang.code not in writers:
            writers[lang.code] = _Writer(g, lang, rng)
    if not writers:
        return
    truths = {t.page_id: t for t in g.key.pages}
    owner = {a: p for p in g.key.people for a in p.accounts}
    org_country = {a.account_id: o.country for o in g.key.orgs for a in _org_accounts(g, o.org_id)}
    writer_of = {pack.code: writers.get(_code(language_of(pack)) or "") for pack in (g.origin, g.dest)}
    g.__dict__["_captures_by_url"] = _captures_by_url(g)  # rewritten pages update their captures
    old_titles: dict[str, str] = {}
    for page in g.case.pages:
        country = _country_of(g, page, owner, org_country)
        writer = writer_of.get(country or "")
        if writer is None:
            continue
        truth = truths.get(page.page_id)
        share = writer.lang.storyline if truth is not None else writer.lang.share.get(page.kind, 0.0)
        if rng.random() >= share:
            continue
        before = page.title
        if _rewrite(g, writer, page, truth, owner):
            old_titles[page.page_id] = before
            page.lang = writer.lang.code
    _retitle_replies(g, old_titles)
    _threads(g, writers, rng)


def _org_accounts(g: Gen, org_id: str) -> list[Any]:
    return [a for k, a in g.org_accounts.items() if k == org_id or k.startswith(f"{org_id}:")]


def _country_of(g: Gen, page: Page, owner: dict[str, Person], org_country: dict[str, str]) -> str | None:
    """The country whose language the page would be written in, or None (registry, whois...)."""
    if page.kind == "news":
        return g.origin.code
    if page.author is None:
        return None
    if page.author in owner:
        return owner[page.author].country
    return org_country.get(page.author, g.origin.code)  # shops and groups sit in origin cities


def _rewrite(g: Gen, w: _Writer, page: Page, truth: PageTruth | None, owner: dict[str, Person]) -> bool:
    """Rewrite one page in the writer's language; False when it has no bank for this page."""
    if page.kind == "profile":
        return _profile(g, w, page)
    source = g.text_source.get(page.page_id)
    if source is None or source[0] not in w.lang.texts:
        return False
    name, english = source
    ctx = _keeping_identifiers(english)
    if truth is not None and g.platform_by_id[g.account_by_id[page.author].platform_id].kind in KEEP_ENGLISH_PLATFORMS:
        return False
    indicators = [c.indicator for c in truth.cues] if truth is not None else []
    if not set(indicators) <= set(w.lang.texts[name].get("cues", {})):
        return False
    old_text, old_title = page.text, page.title
    rendered = w.render(name, ctx, indicators)
    if rendered is None:
        return False
    title, text, cues = rendered
    if page.reply_to is None and page.kind != "comment":
        page.title = title
    page.text = text
    if truth is not None:
        assert Counter(c.indicator for c in cues) == Counter(indicators), page.page_id
        truth.cues = cues
        _follow_history(g, w, page, truth, name, ctx, old_text, old_title)
    else:
        _follow_captures(g, page, old_text, old_title)
    return True


def _keeping_identifiers(ctx: Ctx) -> Ctx:
    """A copy of an English text's context that fixes the identifier slots to the values it used."""
    kept = {k: v for k, v in ctx.used.items() if k in IDENTIFIER_SLOTS}
    return replace(ctx, fixed={**kept, **ctx.fixed}, used={})


def _follow_history(g: Gen, w: _Writer, page: Page, truth: PageTruth, name: str, ctx: Ctx,
                    old_text: str, old_title: str) -> None:
    """Archive captures (and an edit's removed sentence) in the page's new language."""
    removed_old = truth.changes[0] if truth.changes else None
    removed_new = None
    if removed_old is not None:
        english = g.scenario.texts[name].get("cues", {})
        chosen = {c.indicator for c in truth.cues}
        unused = [i for i in sorted(english) if i not in chosen and i in w.lang.texts[name].get("cues", {})]
        removed_new = w.cue_sentence(name, unused[0], ctx) if unused else None
        if removed_new is None:
            phone = g.account_by_id[page.author].phone or ""
            removed_new = w.lang.terms["call"].format(phone=phone).strip()
        truth.changes = [removed_new]
    for capture in _captures(g, page.url):
        if capture.title == old_title:
            capture.title = page.title
        if capture.text == old_text:
            capture.text = page.text
        elif removed_old is not None and capture.text == f"{old_text}\n\n{removed_old}":
            capture.text = f"{page.text}\n\n{removed_new}"


def _captures_by_url(g: Gen) -> dict[str, list[Any]]:
    by_url: dict[str, list[Any]] = {}
    for capture in g.case.archive:
        by_url.setdefault(capture.url, []).append(capture)
    return by_url


def _captures(g: Gen, url: str) -> list[Any]:
    return g.__dict__.get("_captures_by_url", {}).get(url, [])


def _follow_captures(g: Gen, page: Page, old_text: str, old_title: str) -> None:
    for capture in _captures(g, page.url):
        if capture.text == old_text:
            capture.text, capture.title = page.text, page.title if capture.title == old_title else capture.title


def _profile(g: Gen, w: _Writer, page: Page) -> bool:
    """Profile labels and known bios in the language; unknown lines stay as they are."""
    labels, bios = w.lang.terms["profile"], w.lang.terms.get("bios", {})
    account = g.account_by_id.get(page.author or "")
    lines = []
    for line in page.text.split("\n"):
        key = next((k for k, prefix in _PROFILE_LINES if line.startswith(prefix)), None)
        if key is not None:
            value = line.split(": ", 1)[1] if ": " in line else line.removeprefix("Joined ").removeprefix("Lives in ")
            if key == "lives_in" and account is not None:
                value = _city_anywhere(g, w, value)
            lines.append(labels[key].format(value=value))
        elif line in bios:
            lines.append(bios[line])
        elif (m := _ORG_BIO.fullmatch(line)) is not None:
            out = labels["registration"].format(value=m.group(1))
            lines.append(out + (" " + labels["licence"].format(value=m.group(2)) if m.group(2) else ""))
        else:
            lines.append(line)
    text = "\n".join(lines)
    if text == page.text:
        return False
    _follow_captures(g, page, page.text, page.title)
    page.text = text
    return True


def _city_anywhere(g: Gen, w: _Writer, name: str) -> str:
    for pack in (g.origin, g.dest):
        if any(c.name == name for c in pack.cities):
            return w.city(pack, name)
    return name


def _retitle_replies(g: Gen, old_titles: dict[str, str]) -> None:
    """A reply is titled "Re: <post title>": follow the post when it was rewritten."""
    by_id = {p.page_id: p for p in g.case.pages}
    for page in g.case.pages:
        parent = by_id.get(page.reply_to or "")
        if parent is not None and parent.page_id in old_titles and page.title == f"Re: {old_titles[parent.page_id]}":
            page.title = f"Re: {parent.title}"


# ---------------------------------------------------------------- chats


def _threads(g: Gen, writers: dict[str, _Writer], rng: random.Random) -> None:
    """Rewrite a share of chat threads whose two parties speak the same language."""
    owner = {a: p for p in g.key.people for a in p.accounts}
    by_thread: dict[str, list[tuple[Message, Any]]] = {}
    truths = {t.message_id: t for t in g.key.messages}
    for message in g.case.messages:
        by_thread.setdefault(message.thread_id, []).append((message, truths[message.message_id]))
    for thread_id in sorted(by_thread, key=lambda t: g.case.messages.index(by_thread[t][0][0])):
        items = by_thread[thread_id]
        people = {owner[m.sender].person_id: owner[m.sender] for m, _ in items if m.sender in owner}
        langs = {_code(language_of(load_country(p.country))) for p in people.values()}  # cached per pack
        code = langs.pop() if len(langs) == 1 else None
        writer = writers.get(code) if code else None
        if writer is None or rng.random() >= writer.lang.threads:
            continue
        _thread(g, writer, items, owner)


def _code(lang: Language | None) -> str | None:
    return lang.code if lang else None


def _thread(g: Gen, w: _Writer, items: list[tuple[Message, Any]], owner: dict[str, Person]) -> None:
    script_name = items[0][1].script
    script, english = w.lang.scripts.get(script_name), g.scenario.scripts.get(script_name)
    if script is None or english is None or len(script["steps"]) != len(items):
        return  # a thread of another step (e.g. Workshop 3's) or a script the bank lacks: English
    roles = {step["from"]: owner.get(m.sender) for step, (m, _) in zip(script["steps"], items, strict=True)}
    ctx_base = {"victim": roles.get("victim"), "recruiter": roles.get("recruiter")}
    planned = []
    for step, english_step, (message, truth) in zip(script["steps"], english["steps"], items, strict=True):
        wanted = Counter(c.indicator for c in truth.cues)
        options = [t for t in step["text"] if Counter(indicators_in(t)) == wanted]
        if step["from"] != english_step["from"] or not options:
            return  # the bank does not mirror this script: keep the thread in English
        planned.append((message, truth, options, step["from"]))
    written = []
    for message, truth, options, role in planned:
        ctx = Ctx(author=roles.get(role), **ctx_base)
        line = w.one_of(options, ctx, make_slots(w.g, ctx))
        if line is None:
            return  # a line the world cannot fill (a contact nobody holds): keep the thread in English
        written.append((message, truth, line))
    for message, truth, (text, cues) in written:
        message.text, truth.cues = text, cues


def local_share(pages: list[Page], lang: str) -> float:
    """Share of `pages` whose `lang` is `lang` (what the issue's "a fifth" is measured on)."""
    return sum(p.lang == lang for p in pages) / len(pages) if pages else 0.0




# ---------------------------------------------------------------- a local-language query for labs

# Words are split where a search engine splits them (spaces, punctuation); `*` ends a prefix.
_WORD_BREAK = re.compile(r"[\s,.;:!?()\"'«»।{}\[\]/-]+")


@dataclass(frozen=True)
class LocalQuery:
    """A local-language search a lab brief can ask for, with the pages it must find.

    `query` uses the sandbox engine's syntax (site:, OR, word* truncation); `targets` are the
    live pages on `domain` written in `lang` whose key plants `indicator` (every one of them
    contains one of `terms`); `in_scope` are all live pages on `domain` written in `lang`
    (the set a query's precision can be judged against).
    """

    lang: str
    indicator: str
    domain: str
    terms: tuple[str, ...]
    query: str
    targets: tuple[str, ...]
    in_scope: tuple[str, ...]
    brief: str


def search_terms(lang: Language, indicator: str) -> tuple[str, ...]:
    """The words (`доллар*`) that every cue of `indicator` in this language contains."""
    return tuple(lang.terms.get("search_terms", {}).get(indicator, ()))


def matches_terms(text: str, terms: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `terms` as a word (`word*`: a word that starts with it)."""
    words = [w for w in _WORD_BREAK.split(text.lower()) if w]
    return any(w == t or (t.endswith("*") and w.startswith(t[:-1])) for t in terms for w in words)


def local_query(world: Any, seed: int = 0, min_targets: int = 3) -> LocalQuery | None:
    """Propose a local-language query for `world` (a bundle.World) and the pages it must find.

    Chooses, among the indicators that have search terms in the origin country's language,
    the platform and indicator with the most target pages (ties broken by `seed`). Returns
    None when the world has no language folder or fewer than `min_targets` targets (a lab
    then raises UnsuitableSeed). Lab w1-03 can adopt it: the brief asks for the `indicator`'s
    red flag on `domain` in the language, the key is `targets`.
    """
    from synthetic_data.country import load_country as _load
    from synthetic_data.indicators import ALL_INDICATORS

    lang = language_of(_load(world.case.manifest["countries"]["origin"]))
    if lang is None:
        return None
    pages = {p.page_id: p for p in world.case.pages if p.status == "live" and p.lang == lang.code}
    counts: dict[tuple[str, str], list[str]] = {}  # (domain or "", indicator) -> page ids
    for truth in world.key.pages:
        page = pages.get(truth.page_id)
        if page is None:
            continue
        for indicator in {c.indicator for c in truth.cues}:
            terms = search_terms(lang, indicator)
            if terms and matches_terms(page.text, terms):
                counts.setdefault((page.domain, indicator), []).append(page.page_id)
                counts.setdefault(("", indicator), []).append(page.page_id)
    rng = random.Random(f"local-query\x1f{seed}")
    options = sorted(k for k, ids in counts.items() if len(ids) >= min_targets)
    rng.shuffle(options)
    if not options:
        return None
    # One website if it holds enough targets (the brief can ask for site:), else the whole web.
    domain, indicator = max(options, key=lambda k: (k[0] != "", len(counts[k])))
    targets = tuple(sorted(counts[domain, indicator]))
    terms = search_terms(lang, indicator)
    words = " OR ".join(terms)
    query = f"({words})" if len(terms) > 1 else words
    query = f"site:{domain} {query}" if domain else query
    in_scope = tuple(sorted(pid for pid, p in pages.items() if not domain or p.domain == domain))
    name = ALL_INDICATORS.get(indicator, {}).get("name", indicator)
    where = f"on {domain}" if domain else "anywhere"
    brief = (f"Find every page {where} written in {lang.name} that shows the red flag or indicator "
             f"'{name}' ({indicator}). Search in {lang.name}.")
    return LocalQuery(lang.code, indicator, domain, terms, query, targets, in_scope, brief)


__all__ = ["Language", "LocalQuery", "language_dirs", "language_of", "load_language", "local_query", "local_share",
           "localise", "matches_terms", "script_share", "search_terms"]
