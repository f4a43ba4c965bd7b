"""Reading Upwork's two CSV exports into payments: the Transaction History and the Weekly Summary.

Which layout a file is comes from its header (never its name or column positions; see `LAYOUTS`): the
Transaction History since 2025 (`Date, Transaction ID, Transaction Type, Transaction Summary, ...,
Amount $, ...`, unquoted, optionally with `Entered Description`), the one before 2025 (`Date, Ref ID,
Type, Description, ..., Amount, ...`) and the Weekly Summary (`Date, Contract, Hours, Amount, Payment
type`, one row per day; an empty type is hourly time). A header of none of them is refused with the
layouts read. Columns are found by name, so their order, extra columns, a byte-order mark, blank lines and quoted
fields with commas do not matter. Anything that cannot be read is collected with its file, line and
column and raised as one `CsvImportError` before anything is stored: the import is all or nothing.

Only money the freelancer earned counts for the JSS: hourly invoices, fixed-price milestones, bonuses
and misc payments (positive), and refunds of them (negative amounts, or a Refund row). Service fees,
VAT/GST, withdrawals (a `Payment` since 2025) and their fees, Connects purchases and memberships or
subscriptions are skipped and counted in the summary, each under its own name.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import PurePath

from scoring.model import EARLIEST_DAY, ContractKind, LedgerError

from .cells import CellError, DecimalMark, decimal_mark, parse_amount, parse_day, parse_period
from .descriptions import MAX_TITLE, Described, describe

MAX_ERRORS = 5
HEADER_SEARCH_ROWS = 10  # a preamble line or two before the header is tolerated


class ExportKind(StrEnum):
    TRANSACTIONS = "transactions"
    WEEKLY = "weekly"


EXPORT_NAMES = {ExportKind.TRANSACTIONS: "Transaction History", ExportKind.WEEKLY: "Weekly Summary"}

_LEGACY_COLUMNS = (
    "Date",
    "Ref ID",
    "Type",
    "Description",
    "Agency",
    "Freelancer",
    "Team",
    "Account Name",
    "PO",
    "Amount",
    "ExchangeRate",
    "Currency",
    "Balance",
)
_COLUMNS_2025 = (
    "Date",
    "Transaction ID",
    "Transaction Type",
    "Transaction Summary",
    "Transaction Summary Details",
    "Description 1",
    "Description 2",
    "Description 3",
    "Entered Description",
    "Agency",
    "Freelancer",
    "Team",
    "Account Name",
    "PO",
    "Ref ID",
    "Amount $",
    "Amount in local currency",
    "Currency",
    "Current Balance $",
    "Payment Method",
)
_WEEKLY_COLUMNS = ("Date", "Contract", "Hours", "Amount", "Payment type")
# Other spellings seen in older or localised exports, folded like headers (see `_fold_header`).
ALIASES = {
    "reference id": "ref id",
    "ref. id": "ref id",
    "transaction id": "ref id",
    "transaction type": "type",
    "transaction summary": "description",
    "details": "description",
    "amount $": "amount",
    "amount ($)": "amount",
    "amount (usd)": "amount",
    "amount usd": "amount",
    "amount in usd": "amount",
    "client": "team",
    "client name": "team",
    "exchange rate": "exchangerate",
    "week": "date",
    "week of": "date",
    "week start": "date",
    "period": "date",
    "contract name": "contract",
    "contract title": "contract",
    "paymenttype": "payment type",
    "type of payment": "payment type",
}
# The 2025 layout has both `Transaction ID` (the row's own id) and `Ref ID` (the row it is about), and
# its descriptions spread over several columns: its names are its own, with the few it shares renamed.
ALIASES_2025 = {"transaction type": "type", "amount $": "amount", "current balance $": "balance"}
DESCRIPTIONS_2025 = (
    "transaction summary",
    "transaction summary details",
    "description 1",
    "description 2",
    "description 3",
)


@dataclass(frozen=True, eq=False)
class Layout:
    """One header Upwork has written: recognised by `signature` (folded names), read with `aliases`."""

    name: str
    kind: ExportKind
    columns: tuple[str, ...]
    required: tuple[str, ...]  # folded, after aliases
    signature: frozenset[str]  # folded, after aliases
    aliases: Mapping[str, str]
    withdrawal_types: frozenset[str] = frozenset()

    def fold(self, name: str) -> str:
        return _fold_header(name, self.aliases)


LAYOUTS = (
    Layout(
        "Transaction History (2025)",
        ExportKind.TRANSACTIONS,
        _COLUMNS_2025,
        ("date", "type", "amount"),
        frozenset({"transaction id", "type", "amount", "transaction summary"}),
        ALIASES_2025,
        frozenset({"payment"}),  # since 2025 a withdrawal to the freelancer's bank is a `Payment`
    ),
    Layout(
        "Transaction History (before 2025)",
        ExportKind.TRANSACTIONS,
        _LEGACY_COLUMNS,
        ("date", "type", "description", "amount"),
        frozenset({"type", "description", "amount"}),
        ALIASES,
    ),
    Layout(
        "Weekly Summary",
        ExportKind.WEEKLY,
        _WEEKLY_COLUMNS,
        ("date", "contract", "amount"),
        frozenset({"contract", "amount"}),
        ALIASES,
    ),
)
_SHOWN = {"type": "Type", "amount": "Amount", "description": "Description", "date": "Date", "contract": "Contract"}
_SHOWN_2025 = {
    "type": "Transaction Type",
    "amount": "Amount $",
    "date": "Date",
    "transaction summary": "Transaction Summary",
}


class Category(StrEnum):
    """What a row is for the JSS."""

    EARNING = "earning"
    REFUND = "refund"


class CsvImportError(LedgerError):
    """Rows or columns that cannot be read; the message names file, line and column of each problem."""

    def __init__(self, problems: Sequence[str], total: int | None = None) -> None:
        self.problems = list(problems)
        more = (total or len(problems)) - len(problems)
        super().__init__("; ".join(self.problems) + (f" (and {more} more)" if more > 0 else ""))


@dataclass(frozen=True, slots=True)
class Payment:
    """One row that moves a contract's money: an earning or a refund, `amount` always positive."""

    source: str
    line: int
    day: date
    amount: Decimal
    category: Category
    kind: ContractKind | None  # None: a bonus or misc payment says nothing about the contract type
    title: str | None
    client: str | None
    upwork_id: str | None
    ref_id: str | None
    refers_to: str | None
    period_start: date | None
    dedup_key: tuple[object, ...]


@dataclass(frozen=True)
class ParsedExport:
    """One file: its kind, every payment in it, and what was skipped and why."""

    source: str
    kind: ExportKind
    rows: int
    payments: tuple[Payment, ...]
    skipped: Mapping[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return EXPORT_NAMES[self.kind]


# ------------------------------------------------------------------------------------------ decoding


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM, as Upwork writes it); Windows-1252 when a spreadsheet re-saved it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """Comma, unless the first lines clearly use semicolons or tabs (a spreadsheet in another locale)."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:HEADER_SEARCH_ROWS]
    most = {d: max((line.count(d) for line in lines), default=0) for d in (",", ";", "\t")}
    best = max(most, key=lambda d: most[d])
    return best if most[best] > most[","] else ","


def _fold_header(name: str, aliases: Mapping[str, str] = ALIASES) -> str:
    folded = re.sub(r"\s+", " ", name.replace("\ufeff", "").strip().strip('"').strip().casefold())
    return aliases.get(folded, folded)


def _records(text: str, source: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) per record; quoted fields may span lines, so count as csv does."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvImportError([f"{source}, line {previous + 1}: {exc}"]) from None
        start, previous = previous + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


# ------------------------------------------------------------------------------------------ header


def _layout_of(cells: list[str]) -> Layout | None:
    for layout in LAYOUTS:
        if layout.signature <= {layout.fold(c) for c in cells}:
            return layout
    return None


def _shown(layout: Layout, name: str) -> str:
    return (_SHOWN_2025 if layout.aliases is ALIASES_2025 else _SHOWN).get(name, name)


def _closest(cells: list[str]) -> tuple[Layout, list[str]]:
    """The layout a header misses the fewest signature columns of (ties: the first), and those columns."""
    missing = {
        layout: [_shown(layout, n) for n in sorted(layout.signature - {layout.fold(c) for c in cells})]
        for layout in LAYOUTS
    }
    best = min(
        LAYOUTS, key=lambda layout: len(missing[layout]) - len({layout.fold(c) for c in cells} & layout.signature) / 10
    )
    return best, missing[best]


def _header(records: Iterator[tuple[int, list[str]]], source: str) -> tuple[Layout, dict[str, int], int]:
    """Find the header among the first rows; returns its layout, column positions and its line."""
    first: tuple[int, list[str]] | None = None
    for _, (line, cells) in zip(range(HEADER_SEARCH_ROWS), records, strict=False):
        first = first or (line, cells)
        layout = _layout_of(cells)
        if layout is None:
            continue
        positions: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = layout.fold(cell)
            if name in positions and name:
                raise CsvImportError([f"{source}, line {line}: column '{cell.strip()}' appears twice"])
            positions[name] = index
        return layout, positions, line
    if first is None:
        raise CsvImportError([f"{source}: the file is empty"])
    line, cells = first
    layout, missing = _closest(cells)
    expected = "; ".join(f"{other.name}: {', '.join(other.columns)}" for other in LAYOUTS)
    raise CsvImportError(
        [
            f"{source}, line {line}: not an Upwork Transaction History or Weekly Summary export; "
            f"column(s) {', '.join(repr(c) for c in missing)} missing (a {EXPORT_NAMES[layout.kind]} has "
            f"{', '.join(layout.columns)}{layout.name[len(EXPORT_NAMES[layout.kind]) :]}). "
            f"The layouts read are: {expected}"
        ]
    )


# ------------------------------------------------------------------------------------------ rows


_EARNING_TYPES = {
    "hourly": ContractKind.HOURLY,
    "fixed price": ContractKind.FIXED,
    "fixed": ContractKind.FIXED,
    "milestone": ContractKind.FIXED,
    "bonus": None,
    "misc": None,
    "miscellaneous": None,
}
_FEE_WORDS = re.compile(r"\b(?:fee|fees|vat|gst|tax|wht|connects|membership|subscription|commission)\b")


def _type_key(row_type: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", row_type.casefold()).split())


def _skip_reason(key: str, amount: Decimal, layout: Layout, text: str = "") -> str | None:
    """Why a transaction row is not an earning or refund (a singular noun for the summary), or None.

    `text` is the row's description, folded like a type: before 2025 Connects were bought with a
    `Membership Fee` row whose description names them."""
    if "withdraw" in key or "transfer" in key or key in layout.withdrawal_types:
        return "withdrawal"
    if "connects" in key or (_FEE_WORDS.search(key) and "connects" in text.split()):
        return "Connects purchase"
    if "subscription" in key or "membership" in key:
        return "subscription"
    if _FEE_WORDS.search(key):
        return "fee or tax row"
    if "refund" in key:
        return None if amount < 0 else "refund credit"
    if key in _EARNING_TYPES:
        return None if amount != 0 else "zero-amount row"
    return f"'{key}' row" if key else "row without a type"


class _Row:
    """Cell access by column name, collecting problems with their location instead of stopping."""

    def __init__(
        self,
        source: str,
        line: int,
        cells: list[str],
        positions: dict[str, int],
        problems: list[str],
        mark: DecimalMark | None = DecimalMark.POINT,
        layout: Layout = LAYOUTS[1],
    ) -> None:
        self.source, self.line, self.cells, self.positions, self.problems = source, line, cells, positions, problems
        self.mark, self.layout = mark, layout

    def get(self, column: str) -> str:
        index = self.positions.get(column.casefold())
        if index is None:
            return ""
        return self.cells[index].strip() if index < len(self.cells) else ""

    def present(self, column: str) -> bool:
        index = self.positions.get(column.casefold())
        return index is not None and index < len(self.cells)

    def problem(self, column: str | None, message: str) -> None:
        where = f"{self.source}, line {self.line}" + (f", column '{column}'" if column else "")
        self.problems.append(f"{where}: {message}")

    def amount(self) -> Decimal | None:
        try:
            return parse_amount(self.get("Amount"), self.mark)
        except CellError as exc:
            self.problem(_shown(self.layout, "amount"), str(exc))
            return None


def _check_shape(row: _Row, layout: Layout, width: int) -> bool:
    """Short rows may lack optional trailing columns; a required one missing, or extra cells, is an error."""
    if len(row.cells) > width and any(c.strip() for c in row.cells[width:]):
        row.problem(
            None,
            f"{len(row.cells)} fields but the header has {width}; a field containing a comma is probably not in quotes",
        )
        return False
    missing = [_shown(layout, c) for c in layout.required if not row.present(c)]
    if missing:
        row.problem(missing[0], f"missing (the row has {len(row.cells)} fields, the header {width})")
        return False
    return True


def _described(row: _Row, layout: Layout, fixed_price: bool) -> tuple[Described, str | None, str]:
    """The description's clues, the row's own id and the text that identifies the row without one.

    Before 2025 one `Description` and the row's `Ref ID`. Since 2025 the row's own `Transaction ID`, a
    `Ref ID` naming the row a fee or refund is about, and the text spread over `Transaction Summary`,
    `... Details` and `Description 1`-`3`: the first of them that names a title gives it (`Entered
    Description` is what someone typed for this payment, never the contract's title).
    """
    if layout.aliases is not ALIASES_2025:
        text = row.get("Description")
        return describe(text, fixed_price=fixed_price), row.get("Ref ID") or None, text
    own = row.get("Transaction ID") or None
    texts = [row.get(c) for c in DESCRIPTIONS_2025]
    found = [describe(t, fixed_price=fixed_price) for t in texts if t]
    first = found[0] if found else Described()
    title = next((d.title for d in found if d.title), None)
    upwork_id = next((d.upwork_id for d in found if d.upwork_id), None)
    refers = row.get("Ref ID") or next((d.refers_to for d in found if d.refers_to), None)
    described = Described(title, upwork_id, refers if refers != own else None, first.period_start, first.period_end)
    return described, own, " | ".join(texts)


def _transaction(row: _Row, skipped: Counter[str], today: date | None) -> Payment | None:
    day = _day(row, today)
    amount = row.amount()
    if day is None or amount is None:
        return None
    key = _type_key(row.get("Type"))
    reason = _skip_reason(key, amount, row.layout, _type_key(row.get("Description") or row.get("Transaction Summary")))
    if reason is not None:
        skipped[reason] += 1
        return None
    kind = _EARNING_TYPES.get(key)
    described, ref_id, text = _described(row, row.layout, kind is ContractKind.FIXED)
    category = Category.REFUND if amount < 0 else Category.EARNING
    client = row.get("Team") or row.get("Account Name") or None
    dedup = ("ref", ref_id) if ref_id else ("row", day, key, text, amount)
    return Payment(
        row.source,
        row.line,
        day,
        abs(amount),
        category,
        kind,
        described.title,
        client[:MAX_TITLE] if client else None,
        described.upwork_id,
        ref_id,
        described.refers_to,
        described.period_start,
        dedup,
    )


_WEEKLY_CONTRACT = re.compile(r"^(?P<title>.*?)\s*\((?P<id>(?=[^)]*\d)[A-Za-z0-9~_-]{4,24})\)\s*$")


def _weekly(row: _Row, skipped: Counter[str], today: date | None) -> Payment | None:
    text = row.get("Date")
    period: tuple[date, date] | None = None
    try:
        period = parse_period(text)
    except CellError as exc:
        row.problem("Date", str(exc))
    if period is not None and today is not None and period[1] > today:
        row.problem("Date", f"{period[1].isoformat()} is in the future")
        period = None
    elif period is not None and period[0] < EARLIEST_DAY:
        row.problem("Date", f"{period[0].isoformat()} is before {EARLIEST_DAY.isoformat()}; check the year")
        period = None
    amount = row.amount()
    contract = " ".join(row.get("Contract").split())
    match = _WEEKLY_CONTRACT.match(contract)
    title, upwork_id = (match.group("title"), match.group("id")) if match else (contract, None)
    if not title.strip():
        row.problem("Contract", "no contract title (expected 'Title (contract id)')")
        return None
    if period is None or amount is None:
        return None
    if amount == 0:
        skipped["zero-amount row"] += 1
        return None
    key = _type_key(row.get("Payment type"))
    kind = _weekly_kind(key)
    category = Category.REFUND if amount < 0 else Category.EARNING
    dedup = ("row", period, contract, amount, key)
    title = title.strip()[:MAX_TITLE]
    client = row.get("Team")[:MAX_TITLE] or None  # not in Upwork's own layout; honoured when a user added it
    return Payment(
        row.source,
        row.line,
        period[1],
        abs(amount),
        category,
        kind,
        title,
        client,
        upwork_id,
        None,
        None,
        period[0],
        dedup,
    )


def _weekly_kind(key: str) -> ContractKind | None:
    """Upwork's own Weekly Summary leaves `Payment type` empty for hourly time (`Fixed Price Payment`, `Bonus`)."""
    if not key or "hour" in key:
        return ContractKind.HOURLY
    if "fixed" in key or "milestone" in key:
        return ContractKind.FIXED
    return None  # a bonus


def _day(row: _Row, today: date | None) -> date | None:
    try:
        day = parse_day(row.get("Date"))
    except CellError as exc:
        row.problem("Date", str(exc))
        return None
    if today is not None and day > today:
        row.problem("Date", f"{day.isoformat()} is in the future")
        return None
    if day < EARLIEST_DAY:  # the model refuses it too, but here the row is named
        row.problem("Date", f"{day.isoformat()} is before {EARLIEST_DAY.isoformat()}; check the year")
        return None
    return day


def _looks_like_client_export(payments: Sequence[Payment]) -> bool:
    """Clients' exports show work as negative amounts: every 'refund' and no earning means the wrong side."""
    earnings = sum(1 for p in payments if p.category is Category.EARNING)
    typed_refunds = sum(1 for p in payments if p.category is Category.REFUND and p.kind is not None)
    return earnings == 0 and typed_refunds >= 2


def _file_mark(
    body: Sequence[tuple[int, list[str]]], positions: Mapping[str, int], delimiter: str, source: str
) -> DecimalMark | None:
    """The file's decimal mark, from every amount in it (Amount and Balance columns), else its delimiter.

    One amount like 12,50 or 1.234,56 settles it for the whole file, so that its 1.500 is read as
    $1,500 and not $1.50. A comma-separated file with no such amount is Upwork's own layout (decimal
    point); a semicolon- or tab-separated one is a spreadsheet's, in a locale we cannot know: None, and
    each ambiguous amount is refused with its line.
    """
    first: dict[DecimalMark, int] = {}
    columns = [positions[name] for name in ("amount", "balance") if name in positions]
    for line, cells in body:
        for index in columns:
            mark = decimal_mark(cells[index]) if index < len(cells) else None
            if mark is not None:
                first.setdefault(mark, line)
    if len(first) == 2:
        raise CsvImportError(
            [
                f"{source}: amounts are written both as {DecimalMark.POINT.example} (line {first[DecimalMark.POINT]}) "
                f"and as {DecimalMark.COMMA.example} (line {first[DecimalMark.COMMA]}); export the file again"
            ]
        )
    if first:
        return next(iter(first))
    return DecimalMark.POINT if delimiter == "," else None


def parse_export(raw: bytes, source: str = "export.csv", *, today: date | None = None) -> ParsedExport:
    """Parse one Upwork CSV export; CsvImportError (a LedgerError) lists what cannot be read.

    `source` names the file in messages (only its last path part is shown); `today` refuses future dates,
    which would make every later answer fail its as-of check.
    """
    source = PurePath(source).name[:80] or "export.csv"
    text = _decode(raw)
    delimiter = _delimiter(text)
    records = _records(text, source, delimiter)
    layout, positions, _ = _header(records, source)
    kind = layout.kind
    width = max(positions.values()) + 1
    body = list(records)
    mark = _file_mark(body, positions, delimiter, source)
    problems: list[str] = []
    total_problems = 0
    payments: list[Payment] = []
    skipped: Counter[str] = Counter()
    rows = 0
    for line, cells in body:
        rows += 1
        row = _Row(source, line, cells, positions, [], mark, layout)
        if _check_shape(row, layout, width):
            payment = (_transaction if kind is ExportKind.TRANSACTIONS else _weekly)(row, skipped, today)
            if payment is not None and not row.problems:
                payments.append(payment)
        total_problems += len(row.problems)
        problems.extend(row.problems[: MAX_ERRORS - len(problems)])
    if total_problems:
        raise CsvImportError(problems, total_problems)
    if kind is ExportKind.TRANSACTIONS and _looks_like_client_export(payments):
        raise CsvImportError(
            [
                f"{source}: this looks like a client's Transaction History (payments for work are "
                "negative); download it from your freelancer account instead"
            ]
        )
    return ParsedExport(source, kind, rows, tuple(payments), dict(skipped))


def combine(exports: Sequence[ParsedExport]) -> list[Payment]:
    """All payments of several exports of one kind, each row once even where their date ranges overlap.

    A row repeated across files (same Ref ID, or the same cells when there is none) is counted as often
    as the file that has it most often: overlapping downloads add nothing, true repeats in one file stay.
    """
    best: dict[tuple[object, ...], list[Payment]] = {}
    for export in exports:
        mine: dict[tuple[object, ...], list[Payment]] = {}
        for payment in export.payments:
            mine.setdefault(payment.dedup_key, []).append(payment)
        for key, found in mine.items():
            if len(found) > len(best.get(key, ())):
                best[key] = found
    return sorted((p for found in best.values() for p in found), key=lambda p: (p.day, p.source, p.line))
