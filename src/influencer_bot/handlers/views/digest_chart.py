"""The digest's picture: daily engagements (bars) and spend to date against the budget line.

Rendered off-screen with matplotlib's Agg backend into PNG bytes, with the object API
(`Figure`, not `pyplot`) so nothing global is touched and concurrent jobs cannot draw
on each other's figure. The digest view never depends on it: a chart that fails to
render or upload is logged and the digest stands.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # off-screen; must precede any backend-dependent import

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from ...storage.digests.content import ChartData  # noqa: E402

ENGAGEMENT_COLOUR = "#4A90D9"
SPEND_COLOUR = "#D0021B"
BUDGET_COLOUR = "#7F7F7F"


def _dollars(value: float, _pos: object) -> str:
    dollars = value / 100
    return f"${dollars / 1000:,.0f}k" if abs(dollars) >= 10_000 else f"${dollars:,.0f}"


def render_chart(data: ChartData) -> bytes:
    """A 1,000 × 500 px PNG: bars on the left axis, spend and budget on the right."""
    fig = Figure(figsize=(10, 5), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    days = [d.date() for d in data.days]
    ax.bar(days, data.engagements, color=ENGAGEMENT_COLOUR, alpha=0.8, label="engagements that day")
    ax.set_ylabel("engagements per day")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    money = ax.twinx()
    money.plot(days, data.spend_cents, color=SPEND_COLOUR, marker="o", linewidth=2, label="spend to date")
    money.axhline(data.budget_cents, color=BUDGET_COLOUR, linestyle="--", linewidth=1.5, label="budget")
    money.set_ylim(0, max([data.budget_cents, *data.spend_cents]) * 1.3 or 1)  # room for the legend
    money.yaxis.set_major_formatter(FuncFormatter(_dollars))
    money.set_ylabel("spend (USD)")
    handles = ax.get_legend_handles_labels()[0] + money.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize="small")
    ax.set_title(f"{data.title}: last {len(days)} days")
    fig.autofmt_xdate()
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
