"""Renders the bench's data with matplotlib, the tool an analyst would reach for.

Usage: matplotlib_bench.py DATA_DIR OUT_SVG
DATA_DIR holds meta.json, power.f64 (little-endian W, one per minute) and prices.f64 (one per
15 minutes) written by benches/charts.rs. Prints one JSON line: timings and the SVG size.
"""

import json
import sys
import time

t_import = time.perf_counter()
import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

t_import = time.perf_counter() - t_import


def main() -> None:
    data_dir, out_svg = sys.argv[1], sys.argv[2]
    with open(f"{data_dir}/meta.json") as f:
        meta = json.load(f)
    t0 = time.perf_counter()
    power_kw = np.fromfile(f"{data_dir}/power.f64", dtype="<f8") / 1000.0
    prices = np.fromfile(f"{data_dir}/prices.f64", dtype="<f8")
    start = np.datetime64(meta["from"], "ms")
    t_power = start + np.arange(power_kw.size) * np.timedelta64(meta["power_step_s"], "s")
    t_price = start + np.arange(prices.size + 1) * np.timedelta64(meta["price_step_s"], "s")
    t_load = time.perf_counter() - t0

    t0 = time.perf_counter()
    fig, ax = plt.subplots(figsize=(meta["width"] / 100, meta["height"] / 100), dpi=100)
    ax.plot(t_power, power_kw, linewidth=1, label="Grid (kW)")
    ax.set_ylabel("Power (kW)")
    ax2 = ax.twinx()
    ax2.stairs(prices, t_price, color="tab:orange", label="Spot price (SEK/kWh)")
    ax2.axhline(0, color="grey", linewidth=0.5)
    ax2.set_ylabel("SEK/kWh")
    fig.legend(loc="upper left")
    fig.savefig(out_svg, format="svg")
    plt.close(fig)
    t_render = time.perf_counter() - t0

    with open(out_svg, "rb") as f:
        size = len(f.read())
    print(json.dumps({"import_s": t_import, "load_s": t_load, "render_s": t_render, "svg_bytes": size}))


if __name__ == "__main__":
    main()
