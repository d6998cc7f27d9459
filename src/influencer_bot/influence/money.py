"""Money as people type it and as we show it; always integer cents inside."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .errors import UserError

#: budgets above this are surely a typo (and would overflow nothing, but help no one)
MAX_BUDGET_CENTS = 100_000_000_00

_BUDGET = re.compile(r"^\$?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d+)?)\s*(?P<unit>[kKmM])?$")
_UNITS = {None: 1, "k": 1_000, "m": 1_000_000}
BUDGET_EXAMPLE = "/influencer find vegan baking 2000"
BUDGET_FORMATS = "2000, $2,000, 1234.50, 2k, 2.5K or $1.2M"


def looks_like_budget(token: str) -> bool:
    return bool(_BUDGET.match(token.strip().replace("usd", "").replace("USD", "")))


def parse_budget(text: str) -> int:
    """`2000`, `$2,000`, `1234.50`, `2k`, `2.5K`, `$1.2M` -> cents; anything else is a UserError."""
    raw = text.strip().removesuffix("USD").removesuffix("usd").strip()
    if raw.startswith("-"):
        raise UserError(f"The budget can't be negative (you wrote “{text[:40]}”).", BUDGET_EXAMPLE)
    match = _BUDGET.match(raw)
    if not match:
        raise UserError(f"I can't read “{text[:40]}” as a budget in dollars ({BUDGET_FORMATS}).", BUDGET_EXAMPLE)
    try:
        amount = Decimal(match["num"].replace(",", "")) * _UNITS[(match["unit"] or "").lower() or None]
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        raise UserError(f"I can't read “{text[:40]}” as a budget.", BUDGET_EXAMPLE) from None
    cents = int((amount * 100).to_integral_value())
    if cents <= 0:
        raise UserError("The budget must be more than $0.", BUDGET_EXAMPLE)
    if cents > MAX_BUDGET_CENTS:
        raise UserError(
            f"{format_usd(cents)} is more than the {format_usd(MAX_BUDGET_CENTS)} a shortlist can plan.",
            BUDGET_EXAMPLE,
        )
    return cents


def format_usd(cents: int | None) -> str:
    """`$2,000` for whole dollars, `$1,234.50` otherwise, `—` when unknown."""
    if cents is None:
        return "—"
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}" if rest == 0 else f"{sign}${dollars:,}.{rest:02d}"
