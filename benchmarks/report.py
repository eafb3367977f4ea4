"""The benchmark's tables (Markdown) and plot (PNG) from results.json."""

from __future__ import annotations

from pathlib import Path

from benchmarks.paths import ADMIN_PAGES, DOORS, ENDPOINTS, PEER_ENDPOINTS

# The targets of issues 25 (reads) and 29 (the import). In-process at 100,000 articles, p50
# and p95 in ms, on either database (the home page: a door, p50 only); at 1,000,000, each p50
# within GROWTH times its 100,000 figure.
LATENCY_TARGETS = {
    "list": (5, 10), "detail": (5, 10), "filtered": (10, 20), "mixed": (10, 20),
    "search": (10, 25), "search_ties": (10, 25), "facets": (20, 40), "mixed_facets": (20, 40),
}  # fmt: skip
DOOR_TARGETS = {"home": 10}
GROWTH = 2
TARGETS_FROM = 100_000  # the targets are set for 100,000 and 1,000,000 files
IMPORT_COLD = {"sqlite": 1000, "postgres": 500}  # files/s
IMPORT_UNCHANGED, PEAK_MB = 10000, 500  # files/s, per process
# Through gunicorn: requests/s as a multiple of the peer's, same run.
PEER_TARGETS = {
    "datasette": {"list": 1.5, "filtered": 3, "search": 3},
    "bare_wsgi": {"list": 0.6},
}
PEER_LABELS = {"datasette": "Datasette", "bare_wsgi": "bare WSGI"}
EXPORT_NAMES = {"csv": "CSV", "ndjson": "NDJSON", "ndjson_body": "NDJSON with bodies"}


def tables(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; "
        f"Python {m['python']}, Django {m['django']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgresql']}; {m['date']}.",
        "",
        "### Import",
        "",
        "| database | files | articles | cold files/s | unchanged files/s "
        "| peak MB (main + worker) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in results["runs"]:
        cold, again = run["import_cold"], run["import_unchanged"]
        peak = max(cold["peak_mb"], again["peak_mb"])
        worker = max(cold["worker_peak_mb"], again["worker_peak_mb"])
        lines.append(
            f"| {run['database']} | {run['size']:,} | {run['articles']:,} | "
            f"{cold['files_per_s']:,.0f} | {again['files_per_s']:,.0f} "
            f"| {peak:.0f} + {worker:.0f} |"
        )
    lines += [
        "",
        "### API in-process (p50 / p95 ms; queries per request)",
        "",
        "| database | articles | "
        + " | ".join(ENDPOINTS)
        + " | list queries at page size 1/20/100 |",
        "| --- | ---: | " + " | ".join("---:" for _ in ENDPOINTS) + " | --- |",
    ]
    for run in results["runs"]:
        api = run["inprocess"]
        cells = [
            f"{api[e]['p50_ms']:.1f} / {api[e]['p95_ms']:.1f} ({_queries(api[e])})"
            for e in ENDPOINTS
        ]
        sizes = api["list_queries_by_page_size"]
        lines.append(
            f"| {run['database']} | {run['articles']:,} | "
            + " | ".join(cells)
            + f" | {'/'.join(str(v) for v in sizes.values())} |"
        )
    lines += [
        "",
        "### Exports of the whole archive, in-process (rows/s; first byte; peak memory rise)",
        "",
        "| database | articles | " + " | ".join(EXPORT_NAMES.values()) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in EXPORT_NAMES) + " |",
    ]
    for run in (run for run in results["runs"] if "export" in run):
        cells = [
            f"{e['rows_per_s']:,} rows/s; {e['first_byte_ms']:.0f} ms; +{e['peak_rise_mb']:.0f} MB"
            for e in (run["export"][name] for name in EXPORT_NAMES)
        ]
        lines.append(f"| {run['database']} | {run['articles']:,} | " + " | ".join(cells) + " |")
    lines += _timed_table(results, "doors", DOORS, "The other doors")
    lines += _timed_table(results, "admin", ADMIN_PAGES, "The curators' admin pages, signed in")
    lines += [
        "",
        "### Through gunicorn (config/gunicorn.py: 4 workers × 4 threads), wrk 2 threads × 16 "
        "connections (requests/s; p50 / p95 ms)",
        "",
        "| server | database | articles | " + " | ".join(ENDPOINTS) + " |",
        "| --- | --- | ---: | " + " | ".join("---:" for _ in ENDPOINTS) + " |",
    ]
    for run in results["runs"]:
        for name in ("gunicorn", "datasette", "bare_wsgi"):
            if name not in run:
                continue
            served = run[name]
            if "error" in served:
                lines.append(f"| {PEER_LABELS[name]} | {run['database']} | {run['articles']:,} "
                             f"| failed: {served['error']} |")  # fmt: skip
                continue
            cells = [
                f"{served[e]['rps']:,.0f}; {served[e]['p50_ms']:.1f} / {served[e]['p95_ms']:.1f}"
                + (f" ({served[e]['errors']} errors)" if served[e]["errors"] else "")
                if e in served
                else "–"
                for e in ENDPOINTS
            ]
            label = {"gunicorn": "archive", **PEER_LABELS}[name]
            lines.append(
                f"| {label} | {run['database']} | {run['articles']:,} | " + " | ".join(cells) + " |"
            )
    lines += ["", "### The archive's requests/s as a multiple of its peers' (same run)", ""]
    lines += ["| database | articles | peer | " + " | ".join(PEER_ENDPOINTS) + " |"]
    lines += ["| --- | ---: | --- | " + " | ".join("---:" for _ in PEER_ENDPOINTS) + " |"]
    for run in results["runs"]:
        for name, label in PEER_LABELS.items():
            if name not in run or "gunicorn" not in run or "error" in run[name]:
                continue
            cells = [
                f"{run['gunicorn'][e]['rps'] / run[name][e]['rps']:.2f}×"
                if e in run[name] and run[name][e]["rps"]
                else "–"
                for e in PEER_ENDPOINTS
            ]
            lines.append(
                f"| {run['database']} | {run['articles']:,} | {label} | " + " | ".join(cells) + " |"
            )
    lines += ["", "### Targets (issues 25 and 29)", "", targets(results)]
    return "\n".join(lines)


def targets(results: dict) -> str:
    """Each target of issues 25 and 29 against each run that it applies to: met, or the gap."""
    rows = [
        "| target | wanted | database | articles | measured | |",
        "| --- | --- | --- | ---: | --- | --- |",
    ]

    def row(target: str, wanted: str, run: dict, measured: str, met: bool) -> None:
        verdict = "met" if met else "**missed**"
        rows.append(
            f"| {target} | {wanted} | {run['database']} | {run['articles']:,} | {measured} "
            f"| {verdict} |"
        )

    by_key = {(run["database"], run["size"]): run for run in results["runs"]}
    for run in (run for run in results["runs"] if run["size"] >= TARGETS_FROM):
        cold, again = run["import_cold"], run["import_unchanged"]
        wanted_cold = IMPORT_COLD[run["database"]]
        row(
            "import, cold",
            f"≥ {wanted_cold:,} files/s",
            run,
            f"{cold['files_per_s']:,.0f} files/s",
            cold["files_per_s"] >= wanted_cold,
        )
        row(
            "import, unchanged",
            f"≥ {IMPORT_UNCHANGED:,} files/s",
            run,
            f"{again['files_per_s']:,.0f} files/s",
            again["files_per_s"] >= IMPORT_UNCHANGED,
        )
        peak = max(cold["peak_mb"], again["peak_mb"], cold["worker_peak_mb"])
        row(
            "import peak memory",
            f"≤ {PEAK_MB} MB a process",
            run,
            f"{peak:.0f} MB",
            peak <= PEAK_MB,
        )
        if "index_check" in run:
            differences = run["index_check"]["differences"]
            row(
                "search_index check after the import",
                "0 differences",
                run,
                f"{differences} differences",
                differences == 0,
            )
        api = run["inprocess"]
        if run["size"] == 100_000:
            for endpoint, (p50, p95) in LATENCY_TARGETS.items():
                got = api[endpoint]
                row(
                    f"{endpoint}, in-process",
                    f"p50 ≤ {p50} ms (p95 ≤ {p95})",
                    run,
                    f"{got['p50_ms']:.1f} ({got['p95_ms']:.1f})",
                    got["p50_ms"] <= p50 and got["p95_ms"] <= p95,
                )
            for door, p50 in DOOR_TARGETS.items():
                if door in run.get("doors", {}):
                    got = run["doors"][door]["p50_ms"]
                    row(f"{door}, in-process", f"p50 ≤ {p50} ms", run, f"{got:.1f}", got <= p50)
        smaller = by_key.get((run["database"], run["size"] // 10))
        if run["size"] == 1_000_000 and smaller:
            growing = [("inprocess", endpoint) for endpoint in LATENCY_TARGETS]
            growing += [("doors", door) for door in DOOR_TARGETS]
            for key, endpoint in growing:
                if endpoint not in run.get(key, {}) or endpoint not in smaller.get(key, {}):
                    continue  # measured at one size only (a door added between the runs)
                got, base = run[key][endpoint]["p50_ms"], smaller[key][endpoint]["p50_ms"]
                row(
                    f"{endpoint}, in-process",
                    f"p50 ≤ {GROWTH}× at 100,000",
                    run,
                    f"{got:.1f} ms = {got / base:.2f}× {base:.1f}",
                    got <= GROWTH * base,
                )
        for name, wanted in PEER_TARGETS.items():
            served = run.get(name, {})
            for endpoint, ratio in wanted.items():
                if endpoint not in served or "gunicorn" not in run:
                    continue
                ours, theirs = run["gunicorn"][endpoint]["rps"], served[endpoint]["rps"]
                row(
                    f"{endpoint} through gunicorn",
                    f"≥ {ratio}× {PEER_LABELS[name]}",
                    run,
                    f"{ours:,.0f} vs {theirs:,.0f} requests/s = {ours / theirs:.2f}×",
                    ours >= ratio * theirs,
                )
    return "\n".join(rows) + "\n"


def _timed_table(results: dict, key: str, columns, title: str) -> list[str]:
    """A table of in-process timings, a row per run that measured `key`: p50 / p95 ms and the
    queries per request of each column."""
    lines = [
        "",
        f"### {title}, in-process (p50 / p95 ms; queries per request)",
        "",
        "| database | articles | " + " | ".join(columns) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in columns) + " |",
    ]
    for run in (run for run in results["runs"] if key in run):
        measured = run[key]
        cells = [
            f"{measured[c]['p50_ms']:.1f} / {measured[c]['p95_ms']:.1f} ({_queries(measured[c])})"
            if c in measured
            else "–"  # not measured in that run
            for c in columns
        ]
        lines.append(f"| {run['database']} | {run['articles']:,} | " + " | ".join(cells) + " |")
    return lines


def _queries(result: dict) -> str:
    return ",".join(str(q) for q in result["queries"])


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 2, figsize=(12, 9))
    (imports, memory), (latency, served) = axes
    for database in sorted({run["database"] for run in results["runs"]}):
        runs = sorted((r for r in results["runs"] if r["database"] == database), key=_size)
        sizes = [run["size"] for run in runs]
        articles = [run["articles"] for run in runs]
        style = "-" if database == "sqlite" else "--"
        imports.plot(sizes, [r["import_cold"]["files_per_s"] for r in runs], "o" + style,
                     label=f"{database} cold")  # fmt: skip
        imports.plot(sizes, [r["import_unchanged"]["files_per_s"] for r in runs], "s" + style,
                     label=f"{database} unchanged")  # fmt: skip
        memory.plot(sizes, [r["import_cold"]["peak_mb"] for r in runs], "o" + style,
                    label=f"{database} main process")  # fmt: skip
        memory.plot(sizes, [r["import_cold"]["worker_peak_mb"] for r in runs], "s" + style,
                    label=f"{database} parsing worker")  # fmt: skip
        for endpoint in ENDPOINTS:
            latency.plot(articles, [r["inprocess"][endpoint]["p50_ms"] for r in runs],
                         "o" + style, label=f"{database} {endpoint}")  # fmt: skip
            served.plot(articles, [r["gunicorn"][endpoint]["rps"] for r in runs], "o" + style,
                        label=f"archive {database} {endpoint}")  # fmt: skip
        if database == "sqlite":
            peered = [r for r in runs if "error" not in r.get("datasette", {"error": 1})]
            for endpoint in PEER_ENDPOINTS:
                served.plot([r["articles"] for r in peered],
                            [r["datasette"][endpoint]["rps"] for r in peered], "x:",
                            label=f"Datasette {endpoint}")  # fmt: skip
    imports.axhline(1000, color="grey", lw=0.8)
    imports.axhline(10000, color="grey", lw=0.8)
    memory.axhline(PEAK_MB, color="grey", lw=0.8)
    for axis, title, unit in (
        (imports, "Import speed (target lines 1,000 and 10,000)", "files/s"),
        (memory, f"Import peak memory (target line {PEAK_MB} MB)", "MB"),
        (latency, "In-process p50 latency", "ms"),
        (served, "Through gunicorn: requests/s", "requests/s"),
    ):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(title)
        axis.set_ylabel(unit)
        axis.set_xlabel("files" if axis in (imports, memory) else "articles")
        axis.legend(fontsize=7)
        axis.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def _size(run: dict) -> int:
    return run["size"]


def main() -> None:
    """Re-render the tables and plot from results files; a later file's run replaces an
    earlier one's for the same database and size (to redo one database without the other).

        python -m benchmarks.report OUT_DIR RESULTS.json [MORE.json …]
    """
    import json
    import sys

    out, *inputs = map(Path, sys.argv[1:])
    runs: dict[tuple, dict] = {}
    machine = {}
    for path in inputs:
        results = json.loads(path.read_text())
        machine = results["machine"]
        for run in results["runs"]:
            runs[run["database"], run["size"]] = run
    merged = {
        "machine": machine,
        "runs": sorted(runs.values(), key=lambda r: (r["database"] != "sqlite", r["size"])),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(merged, indent=1) + "\n")
    (out / "results.md").write_text(tables(merged))
    plot(merged, out / "cost.png")


if __name__ == "__main__":
    main()
