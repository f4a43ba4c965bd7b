"""Importing Upwork's CSV exports: parse (`upwork_csv`), group into contracts (`derive`), merge (`merge`).

Pure and synchronous: nothing here touches the store. `bot.services.imports` runs the pipeline and
writes the result in one all-or-nothing `LedgerStore.import_ledger(..., "merge")`.
"""

from .derive import Derivation, DerivedContract, derive_contracts
from .merge import PLACEHOLDER_CLIENT, Action, CountedPayment, MergedContract, MergePlan, PendingRefund, merge
from .upwork_csv import EXPORT_NAMES, CsvImportError, ExportKind, ParsedExport, Payment, combine, parse_export

__all__ = [
    "EXPORT_NAMES",
    "PLACEHOLDER_CLIENT",
    "Action",
    "CountedPayment",
    "CsvImportError",
    "Derivation",
    "DerivedContract",
    "ExportKind",
    "MergePlan",
    "MergedContract",
    "ParsedExport",
    "Payment",
    "PendingRefund",
    "combine",
    "derive_contracts",
    "merge",
    "parse_export",
]
