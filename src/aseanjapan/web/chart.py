"""The compare chart as SVG geometry: the same plan (charts.plan_chart) the PNG/SVG report
chart draws, laid out in numbers a template turns into <rect> and <text> elements."""

from __future__ import annotations

from typing import Any

from ..charts import ChartPlan

WIDTH, PLOT_TOP, PLOT_HEIGHT, LEFT, RIGHT = 720, 20, 260, 48, 12
COLOURS = ("#2f6690", "#d1495b", "#3a7d44", "#edae49", "#6c4f9e", "#00798c", "#8d6a9f", "#66545e")


def layout(plan: ChartPlan) -> dict[str, Any]:
    groups = max(1, len(plan.groups))
    series = max(1, len(plan.series))
    top = max([b.value for b in plan.bars] + [0.0]) or 1.0
    scale = PLOT_HEIGHT / (top * 1.15)
    group_w = (WIDTH - LEFT - RIGHT) / groups
    slot = group_w * 0.8 / series
    base = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for b in plan.bars:
        x = LEFT + group_w * b.group + group_w * 0.1 + slot * b.series
        h = max(0.0, b.value) * scale
        bars.append({"x": round(x + slot * 0.05, 1), "y": round(base - h, 1), "w": round(slot * 0.9, 1),
                     "h": round(h, 1), "colour": COLOURS[b.series % len(COLOURS)], "label": b.label,
                     "label_x": round(x + slot / 2, 1), "label_y": round(base - h - 4, 1)})
    ticks = [{"y": round(base - v * scale, 1), "value": _tick(v)} for v in _ticks(top)]
    return {
        "width": WIDTH, "height": base + 40, "base": base, "left": LEFT, "right": WIDTH - RIGHT, "bars": bars,
        "ticks": ticks,
        "groups": [{"x": round(LEFT + group_w * (i + 0.5), 1), "name": g} for i, g in enumerate(plan.groups)],
        "legend": [{"name": s, "colour": COLOURS[i % len(COLOURS)]} for i, s in enumerate(plan.series) if s],
    }


def _ticks(top: float) -> list[float]:
    step = 10 ** len(str(int(top))) / 10 if top >= 1 else 0.1
    while top / step > 6:
        step *= 2
    return [i * step for i in range(int(top / step) + 1)]


def _tick(value: float) -> str:
    return f"{value:g}"
