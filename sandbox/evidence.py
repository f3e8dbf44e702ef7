"""The evidence log: captures with hashes, and an append-only, hash-chained custody log.

Layout of an evidence folder:
  log.jsonl   one entry per line; each carries the SHA-256 of the previous entry, so an
              edited, deleted or reordered entry breaks the chain
  head.json   count and hash of the last entry, so a truncated log is detected too
  items/      evidentiary copies, named by their SHA-256, read-only, never opened for work
  working/    working copies made on request, for analysis (Berkeley Protocol: keep the
              original untouched, work on copies)

Custody events follow the Berkeley Protocol (para 167): capture, transfer, analysis,
disposition, each with who, when (UTC) and why.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osintlab.errors import UserError
from osintlab.fsutil import atomic_write_bytes, atomic_write_text
from synthetic_data.model import Account, Capture, Image, Page

if TYPE_CHECKING:
    import pandas

GENESIS = "0" * 64
EVENTS = ("capture", "transfer", "analysis", "disposition")
ENTRY_COLUMNS = ["seq", "time", "event", "item_id", "kind", "url", "sha256", "analyst", "note", "entry_hash"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry_hash(entry: dict[str, Any]) -> str:
    """Hash of an entry's canonical JSON without its own hash field."""
    body = {k: v for k, v in entry.items() if k != "entry_hash"}
    return sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def render_page(page: Page | Capture) -> bytes:
    """The HTML a page (or archived capture) shows, as the bytes the log keeps."""
    published = page.published if isinstance(page, Page) else page.captured
    body = "".join(f"<p>{html.escape(p)}</p>" for p in page.text.split("\n") if p.strip())
    doc = (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(page.title)}</title></head>'
           f'<body><h1>{html.escape(page.title)}</h1><p class="url">{html.escape(page.url)}</p>'
           f'<p class="time">{html.escape(published)}</p>{body}</body></html>\n')
    return doc.encode("utf-8")


@dataclass
class Verification:
    """The outcome of verify(): ok, and one line per problem found."""

    ok: bool
    entries: int
    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if self.ok:
            return f"OK: {self.entries} entries, hash chain and every item intact."
        return "TAMPERED OR DAMAGED:\n" + "\n".join(f"- {p}" for p in self.problems)


def check_chain(lines: list[str], head: dict[str, Any] | None, item_bytes: dict[str, bytes | None]) -> Verification:
    """Check a log's lines (chain, hashes, sequence), its head record, and its items' hashes."""
    problems: list[str] = []
    prev = GENESIS
    entries: list[dict[str, Any]] = []
    for n, line in enumerate(lines, 1):
        entry = _safe_json(line)
        if not entry:
            problems.append(f"line {n} is not a log entry (damaged JSON)")
            prev = ""
            continue
        entries.append(entry)
        if entry.get("seq") != n:
            problems.append(f"line {n} has seq {entry.get('seq')}: entries were deleted or reordered")
        if entry.get("prev_hash") != prev:
            problems.append(f"line {n} (seq {entry.get('seq')}) does not chain to the entry before it")
        if _entry_hash(entry) != entry.get("entry_hash"):
            problems.append(f"line {n} (seq {entry.get('seq')}) was edited: its hash does not match its content")
        prev = str(entry.get("entry_hash"))
    if head is not None and (head.get("count") != len(lines) or head.get("last_hash") != (prev or None)):
        problems.append(f"the log has {len(lines)} entries but its head record says {head.get('count')}: "
                        "entries were removed or added outside the log")
    for entry in entries:
        if entry.get("event") == "capture":
            data = item_bytes.get(entry.get("file", ""))
            if data is None:
                problems.append(f"item {entry.get('item_id')} ({entry.get('file')}) is missing")
            elif sha256(data) != entry.get("sha256"):
                problems.append(f"item {entry.get('item_id')} ({entry.get('file')}) changed since capture")
    return Verification(not problems, len(lines), problems)


class EvidenceLog:
    """An evidence folder: captured items and their custody log."""

    def __init__(self, root: str | Path, *, analyst: str | None = None) -> None:
        self.root = Path(root)
        self.analyst = analyst
        self.log_path = self.root / "log.jsonl"
        self.head_path = self.root / "head.json"
        self.items = self.root / "items"
        self.working = self.root / "working"

    # ------------------------------------------------------------ reading

    def _lines(self) -> list[str]:
        if not self.log_path.is_file():
            return []
        return [x for x in self.log_path.read_text(encoding="utf-8").splitlines() if x.strip()]

    def entries(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self._lines()]

    def frame(self) -> pandas.DataFrame:
        import pandas

        return pandas.DataFrame(self.entries(), columns=ENTRY_COLUMNS)

    def item(self, item_id: str) -> dict[str, Any]:
        """The capture entry of an item."""
        for entry in self.entries():
            if entry["event"] == "capture" and entry["item_id"] == item_id:
                return entry
        raise UserError(f"evidence item {item_id!r} is not in {self.log_path}: take an item_id from evidence.frame().")

    # ------------------------------------------------------------ writing

    def _append(self, entry: dict[str, Any]) -> dict[str, Any]:
        lines = self._lines()
        last = json.loads(lines[-1])["entry_hash"] if lines else GENESIS
        entry = {"seq": len(lines) + 1, "time": _now(), **entry, "prev_hash": last}
        entry["entry_hash"] = _entry_hash(entry)
        text = "".join(x + "\n" for x in lines) + json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        atomic_write_text(self.log_path, text)
        atomic_write_text(self.head_path, json.dumps({"count": entry["seq"], "last_hash": entry["entry_hash"]}) + "\n")
        return entry

    def _analyst(self, analyst: str | None) -> str:
        name = (analyst or self.analyst or "").strip()
        if not name:
            raise UserError("analyst is empty: give your name or badge number, e.g. analyst='Officer B. Bat'.")
        return name

    def capture_bytes(self, data: bytes, *, url: str, kind: str, ext: str, analyst: str | None = None,
                      note: str = "", source_id: str | None = None) -> dict[str, Any]:
        """Store exact bytes as an evidentiary copy and log the capture; returns the log entry."""
        who = self._analyst(analyst)
        digest = sha256(data)
        rel = f"items/{digest}.{ext}"
        path = self.root / rel
        if not path.exists():
            atomic_write_bytes(path, data)
            path.chmod(0o444)  # evidentiary copy: read-only
        item_id = f"ev-{len(self._lines()) + 1:04d}-{digest[:8]}"
        return self._append({"event": "capture", "item_id": item_id, "kind": kind, "url": url, "sha256": digest,
                             "size": len(data), "file": rel, "source_id": source_id, "analyst": who, "note": note})

    def capture(self, target: Any, *, analyst: str | None = None, note: str = "", case: Any = None) -> dict[str, Any]:
        """Capture a Page, archived Capture, Account or Profile, or an Image (needs `case` for its bytes)."""
        if isinstance(target, Page | Capture):
            data, ext = page_bytes(target)
            kind = "capture" if isinstance(target, Capture) else "page"
            source = target.capture_id if isinstance(target, Capture) else target.page_id
            return self.capture_bytes(data, url=target.url, kind=kind, ext=ext, analyst=analyst, note=note,
                                      source_id=source)
        account = getattr(target, "account", target)
        if isinstance(account, Account):
            data, ext = account_bytes(account)
            return self.capture_bytes(data, url=account.url, kind="profile", ext=ext, analyst=analyst, note=note,
                                      source_id=account.account_id)
        if isinstance(target, Image):
            if case is None:
                raise UserError("capturing an image needs its case: use sb.evidence.capture(...) from open_case.")
            url = _image_url(case, target)
            return self.capture_bytes(case.read_image(target.image_id), url=url, kind="image", ext="jpg",
                                      analyst=analyst, note=note, source_id=target.image_id)
        raise UserError(f"cannot capture a {type(target).__name__}: capture a page, capture, profile or image.")

    def custody(self, item_id: str, event: str, *, analyst: str | None = None, note: str = "",
                to: str | None = None) -> dict[str, Any]:
        """Record a custody event (transfer, analysis, disposition) on a captured item."""
        if event not in EVENTS[1:]:
            raise UserError(f"custody event {event!r} is unknown: use transfer, analysis or disposition.")
        if event == "transfer" and not (to and to.strip()):
            raise UserError("a transfer needs to=...: name who receives the evidence.")
        captured = self.item(item_id)
        return self._append({"event": event, "item_id": item_id, "kind": captured["kind"], "url": captured["url"],
                             "sha256": captured["sha256"], "to": to, "analyst": self._analyst(analyst),
                             "note": note})

    def working_copy(self, item_id: str) -> Path:
        """A writable copy of an item under working/, for analysis; the original stays untouched."""
        entry = self.item(item_id)
        dest = self.working / f"{item_id}{Path(entry['file']).suffix}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.root / entry["file"], dest)
        dest.chmod(0o644)
        return dest

    # ------------------------------------------------------------ verification and export

    def _head(self) -> dict[str, Any] | None:
        if not self.head_path.is_file():
            return None
        return json.loads(self.head_path.read_text(encoding="utf-8"))

    def verify(self) -> Verification:
        """Detect any edited, deleted or reordered entry and any changed or missing item."""
        lines = self._lines()
        files: dict[str, bytes | None] = {}
        for line in lines:
            rel = _safe_json(line).get("file")
            if rel and rel not in files:
                path = self.root / rel
                files[rel] = path.read_bytes() if path.is_file() else None
        head = self._head()
        if head is None and lines:
            return Verification(False, len(lines), [f"{self.head_path} is missing"])
        return check_chain(lines, head, files)

    def export_package(self, path: str | Path) -> Path:
        """A zip with items/, log.jsonl, head.json and manifest.json (hashes); refuses a broken log."""
        check = self.verify()
        if not check:
            raise UserError(f"the evidence log in {self.root} fails verification, so it cannot be exported: "
                            + "; ".join(check.problems))
        lines = self._lines()
        if not lines:
            raise UserError(f"the evidence log in {self.root} is empty: capture something first.")
        log = "".join(x + "\n" for x in lines).encode("utf-8")
        items = sorted({e["file"] for e in map(json.loads, lines) if e.get("file")})
        manifest = {"created": _now(), "entries": len(lines), "log_sha256": sha256(log),
                    "last_hash": json.loads(lines[-1])["entry_hash"],
                    "items": {rel: sha256((self.root / rel).read_bytes()) for rel in items}}
        out = Path(path)
        buffer = _zip_bytes({"log.jsonl": log, "head.json": self.head_path.read_bytes(),
                             "manifest.json": json.dumps(manifest, indent=2).encode("utf-8"),
                             **{rel: (self.root / rel).read_bytes() for rel in items}})
        atomic_write_bytes(out, buffer)
        return out


def _image_url(case: Any, image: Image) -> str:
    """Where the trainee saw the image: the first page (or profile) showing it, else its file in the case."""
    for page in case.pages:
        if image.image_id in page.images:
            return f"{page.url}#{image.image_id}"
    for account in case.accounts:
        if account.avatar == image.image_id:
            return f"{account.url}#avatar"
    return f"case:{image.file}"


def _safe_json(line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def verify_package(path: str | Path) -> Verification:
    """Check an exported evidence package: manifest, log chain, and every item's hash."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            files = {name: zf.read(name) for name in zf.namelist()}
    except (zipfile.BadZipFile, FileNotFoundError, IsADirectoryError):
        raise UserError(f"{path} is not an evidence package (a zip from export_package): check the file.") from None
    for required in ("log.jsonl", "head.json", "manifest.json"):
        if required not in files:
            return Verification(False, 0, [f"{required} is missing from the package"])
    manifest = json.loads(files["manifest.json"])
    log = files["log.jsonl"]
    lines = [x for x in log.decode("utf-8").splitlines() if x.strip()]
    problems: list[str] = []
    if sha256(log) != manifest.get("log_sha256"):
        problems.append("log.jsonl does not match the hash in manifest.json")
    for rel, digest in manifest.get("items", {}).items():
        if rel in files and sha256(files[rel]) != digest:
            problems.append(f"{rel} does not match the hash in manifest.json")
    items: dict[str, bytes | None] = {rel: files.get(rel) for rel in manifest.get("items", {})}
    for line in lines:
        rel = _safe_json(line).get("file")
        if rel:
            items.setdefault(rel, files.get(rel))
    chain = check_chain(lines, json.loads(files["head.json"]), items)
    problems += chain.problems
    return Verification(not problems, len(lines), problems)


def page_bytes(page: Page | Capture) -> tuple[bytes, str]:
    return render_page(page), "html"


def account_bytes(account: Account) -> tuple[bytes, str]:
    return json.dumps(account.to_dict(), ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"), "json"
