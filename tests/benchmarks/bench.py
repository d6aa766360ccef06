"""Benchmarks (not tests): wall time, records/s and peak memory of the pipeline's stages on a synthetic register.

    make bench N=10000                      # every stage
    python tests/benchmarks/bench.py --records 100000 --stage validate --runs 3

The register comes from ``generate.py`` and is kept in ``tests/benchmarks/out/register-<N>-<seed>/`` (gitignored),
so later runs reuse it. Each measurement runs ``procure`` as a separate process; its peak memory is the largest
resident set of that process or any worker it started (``wait4``'s ``ru_maxrss``). Figures are medians of
``--runs`` runs.

Adding a stage: write ``bench_<stage>(register: Path, runs: int) -> list[Row]`` and add it to ``STAGES``; ``Row`` is
one line of the report. ``measure(argv, register, before=...)`` does the timing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PROCURE = [sys.executable, "-m", "site_builder"]

sys.path.insert(0, str(HERE))
from generate import generate_register  # noqa: E402  (the generator lives next to this script)


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit_code: int


@dataclass
class Row:
    stage: str
    variant: str
    records: int
    runs: list[Run]

    @property
    def median_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def median_peak_mb(self) -> float:
        return statistics.median(r.peak_mb for r in self.runs)

    def format(self) -> str:
        rate = self.records / self.median_seconds if self.median_seconds else float("inf")
        spread = f"{min(r.seconds for r in self.runs):.2f}-{max(r.seconds for r in self.runs):.2f}"
        return (f"{self.stage:<9} {self.variant:<6} {self.records:>9,} {self.median_seconds:>9.2f} s  ({spread:>11} s) "
                f"{rate:>10,.0f} rec/s {self.median_peak_mb:>9,.0f} MB  runs={len(self.runs)}")


def measure(argv: list[str], register: Path, before: Callable[[], None] | None = None) -> Run:
    """Run one command in its own process; wall time and the peak RSS of it and its workers."""
    if before:
        before()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=register, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr:
        err = proc.stderr.read().decode(errors="replace")
        if proc.returncode not in (0,) and err:
            print(err, file=sys.stderr)
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode)


def register_for(n_records: int, seed: int) -> tuple[Path, int]:
    """The synthetic register of about n_records records (generated once, then reused) and its real file count."""
    folder = OUT / f"register-{n_records}-{seed}"
    done = folder / ".complete"
    if not done.exists():
        if folder.exists():
            shutil.rmtree(folder)
        start = time.perf_counter()
        generate_register(folder, n_records, seed)
        done.write_text("ok\n")
        print(f"generated {folder} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    count = sum(1 for _ in (folder / "records").rglob("*.yaml"))
    return folder, count


def bench_validate(register: Path, runs: int, records: int) -> list[Row]:
    cache = register / ".cache"

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    argv = [*PROCURE, "validate", "--root", str(register)]
    cold = Row("validate", "cold", records, [measure(argv, register, before=clear) for _ in range(runs)])
    measure(argv, register)  # make sure the cache is filled before the warm runs
    warm = Row("validate", "warm", records, [measure(argv, register) for _ in range(runs)])
    for row in (cold, warm):
        if any(r.exit_code != 0 for r in row.runs):
            print(f"warning: validate {row.variant} exited with {[r.exit_code for r in row.runs]}", file=sys.stderr)
    return [cold, warm]


def bench_export(register: Path, runs: int, records: int) -> list[Row]:
    """`procure export` (validate with a warm cache, model, every download) into a scratch folder."""
    target = OUT / f"export-{register.name}"

    def clear() -> None:
        shutil.rmtree(target, ignore_errors=True)

    argv = [*PROCURE, "export", "--root", str(register), "--out", str(target)]
    measure([*PROCURE, "validate", "--root", str(register)], register)  # warm the validation cache first
    row = Row("export", "cmd", records, [measure(argv, register, before=clear) for _ in range(runs)])
    if any(r.exit_code != 0 for r in row.runs):
        print(f"warning: export exited with {[r.exit_code for r in row.runs]}", file=sys.stderr)
    clear()
    return [row]


STAGES: dict[str, Callable[[Path, int, int], list[Row]]] = {
    "validate": bench_validate,
    "export": bench_export,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000, help="size of the synthetic register")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is reported)")
    parser.add_argument("--stage", choices=[*STAGES, "all"], default="all")
    args = parser.parse_args(argv)
    register, count = register_for(args.records, args.seed)
    print(f"register: {register} ({count:,} record files); machine: {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'stage':<9} {'run':<6} {'records':>9} {'median':>11}  {'(min-max)':>15} {'rate':>16} {'peak RSS':>12}")
    stages = list(STAGES) if args.stage == "all" else [args.stage]
    for stage in stages:
        for row in STAGES[stage](register, args.runs, count):
            print(row.format(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
