"""The import's speed at two commits, side by side: each round imports the same corpus cold
into a fresh database with one commit's code, then the other's, alternating (this machine is
shared and noisy, so runs far apart in time do not compare). Then each imports it again
unchanged.

    python -m benchmarks.compare_import BEFORE AFTER [--size 10000] [--rounds 3]
        [--database sqlite|postgres]

Each commit is checked out in a worktree under artifacts/bench/compare/ and run with this
virtualenv's Python and measured by this checkout's probe; prints one JSON line per import and
a summary of medians and ratios, of files/s and of the main process's CPU time (which the
machine's other tenants disturb less than the wall clock).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
from pathlib import Path

from benchmarks.run import PYTHON, ROOT, WORK, corpus_ready, fresh_database


def worktree(commit: str) -> Path:
    folder = WORK / "compare" / commit
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(folder), commit], cwd=ROOT, check=True
        )
    return folder


def one_round(tree: Path, database: str, size: int, corpus: Path) -> dict:
    with fresh_database(database, size) as env:
        env = {**env, "PYTHONPATH": str(tree)}
        run = [PYTHON, "manage.py", "migrate", "--noinput", "-v0"]
        subprocess.run(run, cwd=tree, env=env, check=True)
        result = {}
        for kind in ("cold", "unchanged"):
            output = subprocess.run(
                # This checkout's probe for both commits: the same measure on each side.
                [PYTHON, str(ROOT / "benchmarks" / "probe.py"), "import", str(corpus)],
                cwd=tree, env=env, check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            result[kind] = json.loads(output.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    corpus = corpus_ready(args.size)
    trees = {name: worktree(name) for name in (args.before, args.after)}
    # Each import's figures, by commit and kind (cold, unchanged), in the order run.
    runs: dict[str, dict[str, list[dict]]] = {n: {"cold": [], "unchanged": []} for n in trees}
    for round_number in range(args.rounds):
        order = list(trees) if round_number % 2 == 0 else list(reversed(trees))
        for name in order:
            result = one_round(trees[name], args.database, args.size, corpus)
            for kind, figures in result.items():
                runs[name][kind].append(figures)
                line = {"commit": name, "round": round_number, "import": kind, **figures}
                line.pop("summary")
                print(json.dumps(line), flush=True)
    for kind in ("cold", "unchanged"):
        for figure, what, unit in (("files_per_s", "", "files/s"), ("cpu_s", ", main CPU", "s")):
            before, after = (
                statistics.median(run[figure] for run in runs[name][kind])
                for name in (args.before, args.after)
            )
            print(
                f"{kind}{what}: {args.before} {before:,.1f} {unit}, {args.after} {after:,.1f} "
                f"{unit} (medians of {args.rounds}), after/before {after / before:.3f}"
            )


if __name__ == "__main__":
    main()
