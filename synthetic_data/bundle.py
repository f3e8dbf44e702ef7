"""Reading and writing a world on disk: DIR/case/ (trainee-visible) and DIR/key/ (truth).

The layout is documented in docs/case-bundle.md. Writing is atomic (a temporary
directory renamed into place) and byte-stable: the same World always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from osintlab.errors import UserError
from osintlab.fsutil import atomic_directory
from synthetic_data.model import (
    FORMAT_VERSION,
    Account,
    AddressTruth,
    Capture,
    CryptoTag,
    EditTruth,
    Export,
    FinancialAccount,
    FlowTruth,
    FootprintTruth,
    FxRate,
    HiddenPage,
    HiddenPageTruth,
    Image,
    ImageText,
    ImageTruth,
    Journey,
    LedgerTx,
    Message,
    MessageTruth,
    NetworkRole,
    NumberBlock,
    Organisation,
    Page,
    PageTruth,
    Person,
    PhoneTruth,
    Place,
    Platform,
    PortRecord,
    Record,
    Restricted,
    Server,
    Site,
    TimelineEvent,
    Transaction,
    TxTruth,
    TypologyAttempt,
)

R = TypeVar("R", bound=Record)

# file name -> record type, for each part. Order is the order files are written.
CASE_FILES: dict[str, type[Record]] = {
    "platforms.jsonl": Platform,
    "accounts.jsonl": Account,
    "pages.jsonl": Page,
    "archive.jsonl": Capture,
    "messages.jsonl": Message,
    "images.jsonl": Image,
    "fin_accounts.jsonl": FinancialAccount,
    "transactions.jsonl": Transaction,
    "places.jsonl": Place,
    # Workshop 3: exchange rates, the UTXO ledger and its public tags, saved dark-web pages
    "fx_rates.jsonl": FxRate,
    "ledger.jsonl": LedgerTx,
    "crypto_tags.jsonl": CryptoTag,
    "darkweb.jsonl": HiddenPage,
    # Workshop 2 (digital footprint)
    "sites.jsonl": Site,
    "servers.jsonl": Server,
    "restricted.jsonl": Restricted,
    "exports.jsonl": Export,
    "numbering.jsonl": NumberBlock,
    "ported.jsonl": PortRecord,
    "image_text.jsonl": ImageText,
}
KEY_FILES: dict[str, type[Record]] = {
    "people.jsonl": Person,
    "orgs.jsonl": Organisation,
    "pages.jsonl": PageTruth,
    "messages.jsonl": MessageTruth,
    "images.jsonl": ImageTruth,
    "typologies.jsonl": TypologyAttempt,
    # Workshop 3: network roles, money trails, ledger owners and transactions, dark-web pages
    "roles.jsonl": NetworkRole,
    "flows.jsonl": FlowTruth,
    "addresses.jsonl": AddressTruth,
    "ledger.jsonl": TxTruth,
    "darkweb.jsonl": HiddenPageTruth,
    "journeys.jsonl": Journey,
    # Workshop 2 (digital footprint)
    "footprints.jsonl": FootprintTruth,
    "phones.jsonl": PhoneTruth,
    "events.jsonl": TimelineEvent,
    "edits.jsonl": EditTruth,
}


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _jsonl(records: Iterable[Record]) -> bytes:
    return "".join(dumps(r.to_dict()) + "\n" for r in records).encode("utf-8")


@dataclass
class Case:
    """Everything a trainee may see of a world."""

    manifest: dict[str, Any]
    platforms: list[Platform] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    archive: list[Capture] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    fin_accounts: list[FinancialAccount] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    fx_rates: list[FxRate] = field(default_factory=list)
    ledger: list[LedgerTx] = field(default_factory=list)
    crypto_tags: list[CryptoTag] = field(default_factory=list)
    darkweb: list[HiddenPage] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    servers: list[Server] = field(default_factory=list)
    restricted: list[Restricted] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    numbering: list[NumberBlock] = field(default_factory=list)
    ported: list[PortRecord] = field(default_factory=list)
    image_text: list[ImageText] = field(default_factory=list)
    root: Path | None = None  # case/ directory when loaded from disk
    image_bytes: dict[str, bytes] = field(default_factory=dict)  # filled when generated
    export_text: dict[str, str] = field(default_factory=dict)  # export_id -> text, filled when generated

    @cached_property
    def account_by_id(self) -> dict[str, Account]:
        return {a.account_id: a for a in self.accounts}

    @cached_property
    def page_by_id(self) -> dict[str, Page]:
        return {p.page_id: p for p in self.pages}

    @cached_property
    def page_by_url(self) -> dict[str, Page]:
        return {p.url: p for p in self.pages}

    @cached_property
    def platform_by_id(self) -> dict[str, Platform]:
        return {p.platform_id: p for p in self.platforms}

    @cached_property
    def image_by_id(self) -> dict[str, Image]:
        return {i.image_id: i for i in self.images}

    @cached_property
    def fin_by_id(self) -> dict[str, FinancialAccount]:
        return {f.fin_id: f for f in self.fin_accounts}

    @cached_property
    def ledger_by_txid(self) -> dict[str, LedgerTx]:
        return {t.txid: t for t in self.ledger}

    def image_path(self, image_id: str) -> Path:
        if self.root is None:
            raise UserError("this case was not loaded from disk, so its images have no path.")
        return self.root / self.image_by_id[image_id].file

    def read_image(self, image_id: str) -> bytes:
        if image_id in self.image_bytes:
            return self.image_bytes[image_id]
        return self.image_path(image_id).read_bytes()

    @cached_property
    def export_by_id(self) -> dict[str, Export]:
        return {e.export_id: e for e in self.exports}

    def read_export(self, export_id: str) -> str:
        """The text of an exported file (chat, SMS, ticket, note), as it was handed over."""
        if export_id in self.export_text:
            return self.export_text[export_id]
        if export_id not in self.export_by_id:
            raise UserError(f"{export_id!r} is not an export of this case: take an id from the exports list.")
        if self.root is None:
            raise UserError("this case was not loaded from disk, so its exports have no path.")
        return (self.root / self.export_by_id[export_id].file).read_text(encoding="utf-8")


@dataclass
class Key:
    """The ground truth of a world. Never shipped to trainees."""

    truth: dict[str, Any]  # seed, scenario, countries, size, summary of the storyline
    people: list[Person] = field(default_factory=list)
    orgs: list[Organisation] = field(default_factory=list)
    pages: list[PageTruth] = field(default_factory=list)
    messages: list[MessageTruth] = field(default_factory=list)
    images: list[ImageTruth] = field(default_factory=list)
    typologies: list[TypologyAttempt] = field(default_factory=list)
    roles: list[NetworkRole] = field(default_factory=list)
    flows: list[FlowTruth] = field(default_factory=list)
    addresses: list[AddressTruth] = field(default_factory=list)
    ledger: list[TxTruth] = field(default_factory=list)
    darkweb: list[HiddenPageTruth] = field(default_factory=list)
    journeys: list[Journey] = field(default_factory=list)
    footprints: list[FootprintTruth] = field(default_factory=list)
    phones: list[PhoneTruth] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    edits: list[EditTruth] = field(default_factory=list)
    network: nx.Graph = field(default_factory=nx.Graph)

    @cached_property
    def page_truth(self) -> dict[str, PageTruth]:
        return {p.page_id: p for p in self.pages}

    @cached_property
    def person_by_id(self) -> dict[str, Person]:
        return {p.person_id: p for p in self.people}

    def owner_of(self) -> dict[str, str]:
        """account_id -> person_id for every account a person holds."""
        return {a: p.person_id for p in self.people for a in p.accounts}


@dataclass
class World:
    case: Case
    key: Key


# ---------------------------------------------------------------- writing


def world_files(world: World) -> Iterator[tuple[str, bytes]]:
    """(relative path, bytes) for every file of the world, in a fixed order."""
    case = world.case
    yield "case/manifest.json", (json.dumps(case.manifest, ensure_ascii=False, indent=2) + "\n").encode()
    for name in CASE_FILES:
        yield f"case/{name}", _jsonl(getattr(case, name.removesuffix(".jsonl")))
    for image in case.images:
        yield f"case/{image.file}", case.image_bytes[image.image_id]
    for export in case.exports:
        yield f"case/{export.file}", case.export_text[export.export_id].encode("utf-8")
    key = world.key
    yield "key/truth.json", (json.dumps(key.truth, ensure_ascii=False, indent=2) + "\n").encode()
    for name in KEY_FILES:
        yield f"key/{name}", _jsonl(getattr(key, name.removesuffix(".jsonl")))
    yield "key/network.graphml", "\n".join(nx.generate_graphml(key.network)).encode() + b"\n"


def write_world(world: World, out: Path, *, force: bool = False) -> Path:
    """Write the world to `out` atomically; return `out`."""
    with atomic_directory(Path(out), force=force) as tmp:
        for rel, data in world_files(world):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return Path(out)


# ---------------------------------------------------------------- reading


def _read_jsonl(path: Path, cls: type[R]) -> list[R]:
    records: list[R] = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                records.append(cls.from_dict(json.loads(line)))
            except (json.JSONDecodeError, TypeError) as exc:
                raise UserError(
                    f"{path} line {lineno} is not a valid {cls.__name__} record ({exc}): "
                    "regenerate the world with osintlab world generate."
                ) from None
    return records


def case_dir(path: Path) -> Path:
    """Accept either the world directory or its case/ directory."""
    path = Path(path)
    for candidate in (path / "case", path):
        if (candidate / "manifest.json").is_file():
            return candidate
    raise UserError(
        f"{path} is not a case world (no case/manifest.json): create one with osintlab world generate --out DIR."
    )


def load_case(path: Path) -> Case:
    root = case_dir(path)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise UserError(
            f"{root / 'manifest.json'} has format_version {manifest.get('format_version')!r}, "
            f"this osintlab reads {FORMAT_VERSION}: regenerate the world."
        )
    parts = {
        name.removesuffix(".jsonl"): _read_jsonl(root / name, cls)
        for name, cls in CASE_FILES.items()
        if (root / name).is_file()
    }
    return Case(manifest=manifest, root=root, **parts)  # type: ignore[arg-type]


def load_key(path: Path) -> Key:
    path = Path(path)
    root = path / "key" if (path / "key").is_dir() else path
    truth_file = root / "truth.json"
    if not truth_file.is_file():
        raise UserError(f"{path} has no key/truth.json: the answer key is kept by the trainer.")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    parts = {
        name.removesuffix(".jsonl"): _read_jsonl(root / name, cls)
        for name, cls in KEY_FILES.items()
        if (root / name).is_file()
    }
    network = nx.read_graphml(root / "network.graphml") if (root / "network.graphml").is_file() else nx.Graph()
    return Key(truth=truth, network=network, **parts)  # type: ignore[arg-type]


def load_world(path: Path) -> World:
    return World(case=load_case(path), key=load_key(path))
