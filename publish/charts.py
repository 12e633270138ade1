"""Charts drawn on the server as inline SVG: no script, no network, and every label escaped."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, MARGIN = 640, 220, 44


def _short(value: float) -> str:
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def _frame(title: str, body: str, top: float) -> Markup:
    return Markup(
        f'<svg class="launchwire-chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
        f'<text x="{MARGIN}" y="16" class="chart-title">{escape(title)}</text>'
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - 10}" y2="{HEIGHT - MARGIN}" stroke="#999"/>'
        f'<text x="{MARGIN - 4}" y="{MARGIN - 6}" text-anchor="end" class="chart-axis">{_short(top)}</text>'
        f"{body}</svg>")


def line_chart(title: str, points: list[tuple[str, float, str]]) -> Markup | None:
    """A figure over time: (date, value, modality) points in date order, each dot coloured by
    its modality so a forecast never looks like a reported figure. None for fewer than 2."""
    if len(points) < 2:
        return None
    top = max(value for _, value, _ in points) or 1.0
    step = (WIDTH - MARGIN - 20) / (len(points) - 1)
    plot = HEIGHT - 2 * MARGIN

    def xy(i: int, value: float) -> tuple[float, float]:
        return MARGIN + i * step, HEIGHT - MARGIN - plot * value / top

    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, (_, v, _) in enumerate(points)))
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="dot-{escape(modality)}">'
        f"<title>{escape(day)}: {_short(value)} ({escape(modality)})</title></circle>"
        for i, (day, value, modality) in enumerate(points) for x, y in [xy(i, value)])
    labels = "".join(
        f'<text x="{xy(i, 0)[0]:.1f}" y="{HEIGHT - MARGIN + 16}" text-anchor="middle" '
        f'class="chart-axis">{escape(day[:7])}</text>'
        for i, (day, _, _) in enumerate(points) if i in {0, len(points) - 1} or len(points) <= 6)
    body = f'<polyline points="{path}" fill="none" stroke="#14213d" stroke-width="2"/>{dots}{labels}'
    return _frame(title, body, top)


def bar_chart(title: str, bars: list[tuple[str, int]]) -> Markup | None:
    """Counts per period, oldest first (launches per week). None when there is nothing."""
    if not bars:
        return None
    top = max(count for _, count in bars) or 1
    slot = (WIDTH - MARGIN - 20) / len(bars)
    plot = HEIGHT - 2 * MARGIN
    body = "".join(
        f'<rect x="{MARGIN + i * slot + 1:.1f}" y="{HEIGHT - MARGIN - plot * count / top:.1f}" '
        f'width="{max(1.0, slot - 2):.1f}" height="{plot * count / top:.1f}" fill="#fca311">'
        f"<title>{escape(label)}: {count}</title></rect>"
        for i, (label, count) in enumerate(bars))
    body += "".join(
        f'<text x="{MARGIN + i * slot + slot / 2:.1f}" y="{HEIGHT - MARGIN + 16}" '
        f'text-anchor="middle" class="chart-axis">{escape(label)}</text>'
        for i, (label, _) in enumerate(bars) if i in {0, len(bars) - 1})
    return _frame(title, body, top)
