"""A realistic demo ledger, dated relative to "today" so the demo always shows something to act on."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from scoring.model import Contract, ContractKind, ContractStatus, Ledger

DEMO_USER = "demo"


def demo_ledger(today: date) -> Ledger:
    def d(days_ago: int) -> date:
        return today - timedelta(days=days_ago)

    def ended(
        cid: str, title: str, client: str, start: int, end: int, usd: str, stars: float | None, **extra: object
    ) -> Contract:
        return Contract.model_validate(
            {
                "id": cid,
                "title": title,
                "client": client,
                "kind": extra.pop("kind", ContractKind.HOURLY),
                "status": ContractStatus.ENDED,
                "started": d(start),
                "ended": d(end),
                "last_activity": d(end),
                "last_payment": d(end) if Decimal(usd) > 0 else None,
                "earnings_usd": Decimal(usd),
                "public_stars": stars,
                **extra,
            }
        )

    contracts = [
        ended("shop-redesign", "Shopify theme redesign", "Northwind Goods", 560, 470, "2400", 5.0),
        ended("api-fixes", "REST API bug fixes", "Blue Fern Labs", 420, 400, "640", 5.0),
        ended("logo-pack", "Logo refresh", "Cedar & Co", 300, 290, "180", 3.0, kind=ContractKind.FIXED),
        ended("seo-audit", "SEO audit", "Harbor Dental", 200, 185, "900", 5.0, kind=ContractKind.FIXED),
        ended("data-clean", "CRM data cleanup", "Atlas Realty", 150, 120, "1350", 4.8),
        ended("landing", "Landing page", "Quill Studio", 60, 45, "450", None),
        Contract.model_validate(
            {
                "id": "wp-maint",
                "title": "WordPress maintenance",
                "client": "Maple Bakery",
                "kind": "hourly",
                "status": "active",
                "started": d(330),
                "last_activity": d(9),
                "last_payment": d(9),
                "earnings_usd": "5200",
            }
        ),
        Contract.model_validate(
            {
                "id": "acme-site",
                "title": "Acme website fixes",
                "client": "Acme Ltd",
                "kind": "hourly",
                "status": "active",
                "started": d(200),
                "last_activity": d(110),
                "last_payment": d(110),
                "earnings_usd": "300",
                "close_requests": [d(75), d(40)],
            }
        ),
        Contract.model_validate(
            {
                "id": "ghost-app",
                "title": "Mobile app prototype",
                "client": "Zephyr Apps",
                "kind": "hourly",
                "status": "active",
                "started": d(140),
                "last_activity": d(70),
                "last_payment": d(70),
                "earnings_usd": "820",
            }
        ),
        Contract.model_validate(
            {
                "id": "video-edit",
                "title": "Video edits, milestone 2",
                "client": "Lumen Media",
                "kind": "fixed",
                "status": "active",
                "started": d(95),
                "last_activity": d(50),
                "last_payment": d(80),
                "earnings_usd": "300",
                "escrow_usd": "300",
            }
        ),
    ]
    return Ledger(as_of=today, contracts=tuple(contracts))
