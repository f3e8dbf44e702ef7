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
from osintlab.i18n import ANSWER_OPTION, _, pgettext
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
            return _("OK: {count} entries, hash chain and every item intact.").format(count=self.entries)
        return _("TAMPERED OR DAMAGED:") + "\n" + "\n".join(f"- {p}" for p in self.problems)


def check_chain(lines: list[str], head: dict[str, Any] | None, item_bytes: dict[str, bytes | None]) -> Verification:
    """Check a log's lines (chain, hashes, sequence), its head record, and its items' hashes."""
    problems: list[str] = []
    prev = GENESIS
    entries: list[dict[str, Any]] = []
    for n, line in enumerate(lines, 1):
        entry = _safe_json(line)
        if not entry:
            problems.append(_("line {n} is not a log entry (damaged JSON)").format(n=n))
            prev = ""
            continue
        entries.append(entry)
        if entry.get("seq") != n:
            problems.append(_("line {n} has seq {seq}: entries were deleted or reordered").format(
                n=n, seq=entry.get('seq')))
        if entry.get("prev_hash") != prev:
            problems.append(_("line {n} (seq {seq}) does not chain to the entry before it").format(
                n=n, seq=entry.get('seq')))
        if _entry_hash(entry) != entry.get("entry_hash"):
            problems.append(_("line {n} (seq {seq}) was edited: its hash does not match its content").format(
                n=n, seq=entry.get('seq')))
        prev = str(entry.get("entry_hash"))
    if head is not None and (head.get("count") != len(lines) or head.get("last_hash") != (prev or None)):
        problems.append(_("the log has {count} entries but its head record says {count2}: entries were removed or "
                          "added outside the log").format(
            count=len(lines), count2=head.get('count')))
    for entry in entries:
        if entry.get("event") == "capture":
            data = item_bytes.get(entry.get("file", ""))
            if data is None:
                problems.append(_("item {item_id} ({file}) is missing").format(
                    item_id=entry.get('item_id'), file=entry.get('file')))
            elif sha256(data) != entry.get("sha256"):
                problems.append(_("item {item_id} ({file}) changed since capture").format(
                    item_id=entry.get('item_id'), file=entry.get('file')))
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
        raise UserError(_("evidence item {item_id} is not in {log_path}: take an item_id from "
                          "evidence.frame().").format(
            item_id=repr(item_id), log_path=self.log_path))

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
            raise UserError(_("analyst is empty: give your name or badge number, e.g. analyst='Officer B. Bat'."))
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
                raise UserError(_("capturing an image needs its case: use sb.evidence.capture(...) from open_case."))
            url = _image_url(case, target)
            return self.capture_bytes(case.read_image(target.image_id), url=url, kind="image", ext="jpg",
                                      analyst=analyst, note=note, source_id=target.image_id)
        raise UserError(_("cannot capture a {kind}: capture a page, capture, profile or image.").format(
            kind=type(target).__name__))

    def custody(self, item_id: str, event: str, *, analyst: str | None = None, note: str = "",
                to: str | None = None) -> dict[str, Any]:
        """Record a custody event (transfer, analysis, disposition) on a captured item."""
        if event not in EVENTS[1:]:
            raise UserError(_("custody event {event} is unknown: use transfer, analysis or disposition.").format(
                event=repr(event)))
        if event == "transfer" and not (to and to.strip()):
            raise UserError(_("a transfer needs to=...: name who receives the evidence."))
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
            return Verification(False, len(lines), [_("{path} is missing").format(path=self.head_path)])
        return check_chain(lines, head, files)

    def export_package(self, path: str | Path) -> Path:
        """A zip with items/, log.jsonl, head.json and manifest.json (hashes); refuses a broken log."""
        check = self.verify()
        if not check:
            raise UserError(_("the evidence log in {folder} fails verification, so it cannot be exported: "
                              "{problems}").format(folder=self.root, problems="; ".join(check.problems)))
        lines = self._lines()
        if not lines:
            raise UserError(_("the evidence log in {root} is empty: capture something first.").format(root=self.root))
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
        raise UserError(_("{path} is not an evidence package (a zip from export_package): check the file.").format(
            path=path)) from None
    for required in ("log.jsonl", "head.json", "manifest.json"):
        if required not in files:
            return Verification(False, 0, [_("{name} is missing from the package").format(name=required)])
    manifest = json.loads(files["manifest.json"])
    log = files["log.jsonl"]
    lines = [x for x in log.decode("utf-8").splitlines() if x.strip()]
    problems: list[str] = []
    if sha256(log) != manifest.get("log_sha256"):
        problems.append(_("log.jsonl does not match the hash in manifest.json"))
    for rel, digest in manifest.get("items", {}).items():
        if rel in files and sha256(files[rel]) != digest:
            problems.append(_("{rel} does not match the hash in manifest.json").format(rel=rel))
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


# ---------------------------------------------------------------- WARC evidence packages (Workshop 3)
#
# A package is a zip in the spirit of WACZ: archive/data.warc.gz (ISO 28500 WARC 1.1 records written
# by warcio, one gzip member per record, with block and payload digests), custody.jsonl (the hash-
# chained custody log: capture, transfer, analysis events in UTC) and datapackage.json (SHA-256 of
# every file). `verify_warc_package` rebuilds everything from the bytes, as a court's expert would.

WARC_NAME = "archive/data.warc.gz"
CUSTODY_NAME = "custody.jsonl"
MANIFEST_NAME = "datapackage.json"


def target_bytes(target: Any) -> tuple[str, bytes]:
    """(URL, exact bytes) of what a capture of `target` keeps: a Page, archived Capture or Account."""
    if isinstance(target, Page | Capture):
        return target.url, render_page(target)
    account = getattr(target, "account", target)
    if isinstance(account, Account):
        return account.url, account_bytes(account)[0]
    raise UserError(_("cannot capture a {kind}: capture a page, an archived capture or a profile.").format(
        kind=type(target).__name__))


class WarcPackage:
    """Captures as WARC records with a hash-chained custody log, built in memory and exported as one zip."""

    def __init__(self, analyst: str) -> None:
        if not analyst.strip():
            raise UserError(_("analyst is empty: give your name or badge number, e.g. WarcPackage('Officer B. "
                              "Bat')."))
        self.analyst = analyst.strip()
        self.records: list[bytes] = []  # one gzip member per WARC record
        self.log: list[dict[str, Any]] = []

    def _append(self, entry: dict[str, Any]) -> dict[str, Any]:
        prev = self.log[-1]["entry_hash"] if self.log else GENESIS
        entry = {"seq": len(self.log) + 1, "time": _now(), **entry, "prev_hash": prev}
        entry["entry_hash"] = _entry_hash(entry)
        self.log.append(entry)
        return entry

    def capture(self, target: Any, note: str = "") -> dict[str, Any]:
        """Capture a page, an archived capture or a profile as a WARC response record; log it (UTC)."""
        import io

        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        url, payload = target_bytes(target)
        when = _now()
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
        kind = "application/json" if payload[:1] == b"{" else "text/html; charset=utf-8"
        http = StatusAndHeaders("200 OK", [("Content-Type", kind), ("Content-Length", str(len(payload)))],
                                protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http,
                                           warc_headers_dict={"WARC-Date": when})
        writer.write_record(record)
        self.records.append(buffer.getvalue())
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        item_id = f"E{sum(1 for e in self.log if e['event'] == 'capture') + 1}"
        return self._append({"event": "capture", "item_id": item_id, "url": url, "sha256": sha256(payload),
                             "warc_record_id": record_id, "analyst": self.analyst, "note": note})

    def custody(self, item_id: str, event: str, *, to: str = "", note: str = "") -> dict[str, Any]:
        """A custody event (transfer, analysis, disposition) on a captured item."""
        if event not in EVENTS[1:]:
            raise UserError(_("custody event {event} is unknown: use transfer, analysis or disposition.").format(
                event=repr(event)))
        if event == "transfer" and not to.strip():
            raise UserError(_("a transfer needs to=...: name who receives the evidence."))
        captured = next((e for e in self.log if e["event"] == "capture" and e["item_id"] == item_id), None)
        if captured is None:
            raise UserError(_("no captured item {item_id}: take an item_id from the log.").format(
                item_id=repr(item_id)))
        return self._append({"event": event, "item_id": item_id, "url": captured["url"],
                             "sha256": captured["sha256"], "to": to.strip(), "analyst": self.analyst, "note": note})

    def frame(self) -> pandas.DataFrame:
        import pandas

        return pandas.DataFrame(self.log, columns=["seq", "time", "event", "item_id", "url", "sha256", "analyst"])

    def export(self) -> bytes:
        """The package as zip bytes (archive/data.warc.gz, custody.jsonl, datapackage.json)."""
        warc = b"".join(self.records)
        custody = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in self.log).encode()
        manifest = {"profile": "data-package", "created": _now(), "software": "osintlab sandbox.evidence",
                    "resources": [{"path": name, "hash": "sha256:" + sha256(data), "bytes": len(data)}
                                  for name, data in ((WARC_NAME, warc), (CUSTODY_NAME, custody))]}
        return _zip_bytes({WARC_NAME: warc, CUSTODY_NAME: custody,
                           MANIFEST_NAME: json.dumps(manifest, indent=2).encode()})

    def answer(self) -> dict[str, str]:
        """The package as a plain value a lab can record: {"package": base64 of the zip}."""
        import base64

        return {"package": base64.b64encode(self.export()).decode("ascii")}


@dataclass
class PackageCheck:
    """What verify_warc_package found: overall problems, and one status per captured item."""

    problems: list[str] = field(default_factory=list)
    items: dict[str, str] = field(default_factory=dict)  # E1 -> intact | altered | missing | log edited
    log: list[dict[str, Any]] = field(default_factory=list)
    payloads: dict[str, bytes] = field(default_factory=dict)  # WARC-Record-ID -> payload

    @property
    def ok(self) -> bool:
        return not self.problems and all(v == "intact" for v in self.items.values())

    def __str__(self) -> str:
        lines = [_("OK: package intact.") if self.ok else _("PROBLEMS FOUND:")]
        lines += [f"- {p}" for p in self.problems]
        # The status is shown as an answer option: the word in the language, with the code in brackets.
        lines += [f"  {item}: {pgettext(ANSWER_OPTION, status)}" for item, status in self.items.items()]
        return "\n".join(lines)


def verify_warc_package(data: bytes | str) -> PackageCheck:
    """Rebuild and check a package from its bytes (or base64): manifest hashes, WARC digests, the custody
    chain, UTC times in order, every captured item present in the WARC, in the log's order, unchanged."""
    import base64
    import io

    from warcio.archiveiterator import ArchiveIterator

    check = PackageCheck()
    if isinstance(data, str):
        try:
            data = base64.b64decode(data, validate=True)
        except ValueError:
            check.problems.append(_("the package is not valid base64"))
            return check
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            files = {name: zf.read(name) for name in zf.namelist()}
    except zipfile.BadZipFile:
        check.problems.append(_("the package is not a zip file"))
        return check
    for name in (WARC_NAME, CUSTODY_NAME, MANIFEST_NAME):
        if name not in files:
            check.problems.append(_("{name} is missing from the package").format(name=name))
    if check.problems:
        return check
    manifest = _safe_json(files[MANIFEST_NAME].decode("utf-8", "replace"))
    for resource in manifest.get("resources", []):
        if "sha256:" + sha256(files.get(resource.get("path", ""), b"")) != resource.get("hash"):
            check.problems.append(_("{path} does not match its hash in {MANIFEST_NAME}").format(
                path=resource.get('path'), MANIFEST_NAME=MANIFEST_NAME))
    order: list[str] = []
    try:
        for record in ArchiveIterator(io.BytesIO(files[WARC_NAME]), check_digests=True):
            if record.rec_type != "response":
                continue
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            check.payloads[record_id] = record.content_stream().read()
            if record.digest_checker.passed is False:
                check.problems.append(_("WARC record {record_id} fails its digest check").format(record_id=record_id))
            order.append(record_id)
    except Exception as exc:  # warcio raises several kinds for damaged archives
        check.problems.append(_("the WARC file is damaged ({exc})").format(exc=exc))
    lines = [x for x in files[CUSTODY_NAME].decode("utf-8", "replace").splitlines() if x.strip()]
    prev, last_time, seen = GENESIS, "", []
    for n, line in enumerate(lines, 1):
        entry = _safe_json(line)
        check.log.append(entry)
        item = str(entry.get("item_id", f"line {n}"))
        edited = entry.get("prev_hash") != prev or _entry_hash(entry) != entry.get("entry_hash") \
            or entry.get("seq") != n
        time = str(entry.get("time", ""))
        if not (len(time) == 20 and time.endswith("Z")) or time < last_time:
            edited = True
            check.problems.append(_("log line {n}: time {time} is not UTC in order").format(n=n, time=repr(time)))
        last_time = max(last_time, time)
        prev = str(entry.get("entry_hash"))
        if edited:
            check.problems.append(_("log line {n} ({item}) was edited: the hash chain breaks there").format(
                n=n, item=item))
        if entry.get("event") != "capture":
            if edited and item in check.items:
                check.items[item] = "log edited"
            continue
        record_id = entry.get("warc_record_id")
        if edited:
            check.items[item] = "log edited"
        elif record_id not in check.payloads:
            check.items[item] = "missing"
        elif sha256(check.payloads[record_id]) != entry.get("sha256"):
            check.items[item] = "altered"
        else:
            check.items[item] = "intact"
        seen.append(record_id)
    if [r for r in order if r in seen] != [r for r in seen if r in order]:
        check.problems.append(_("the WARC records are not in the order of the custody log"))
    for item, status in check.items.items():
        if status == "missing":
            check.problems.append(_("{item} is missing: the WARC file has no capture for it").format(item=item))
        elif status == "altered":
            check.problems.append(_("{item} is altered: its capture no longer matches the hash in the custody log")
                                  .format(item=item))
    return check
