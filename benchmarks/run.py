"""The parsing benchmarks: generate the inputs, measure each tool in a fresh process, check the targets.

    python benchmarks/run.py            # full sizes: 1,000,000 cases, 200,000 cases, 5,000 files
    python benchmarks/run.py --quick    # small sizes, a smoke check in seconds

Inputs go to benchmarks/data/ (git-ignored) and are reused when already there.
Prints a Markdown table (paste it into BENCHMARKS.md) and the targets met or missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_junit  # noqa: E402
import gen_trx  # noqa: E402

from testrelay.results.parse import PARALLEL_MIN_FILES  # noqa: E402

GENERATORS = {"junit": (gen_junit, "xml"), "trx": (gen_trx, "trx")}

# The targets the parser is held to.
MAX_VS_ITERPARSE = 1.5  # our time / bare iterparse time, one big file
MIN_VS_JUNITPARSER = 2.5  # junitparser time / our time, one big JUnit file
MAX_PEAK_MB_200K = 150.0  # our peak RSS on the 200,000-case JUnit file (about 55-65 MB)


@dataclass(frozen=True)
class Sizes:
    big: int  # cases in the big file
    memory: int  # cases in the file the memory target is checked on
    files: int  # small files in the many-files set
    cases_per_file: int = 20


FULL = Sizes(big=1_000_000, memory=200_000, files=5_000)
QUICK = Sizes(big=20_000, memory=20_000, files=200)


@dataclass(frozen=True)
class Measurement:
    input: str
    tool: str
    files: int
    bytes: int
    cases: int | None
    seconds: float
    peak_rss_kb: int
    rss_before_kb: int

    @property
    def mb(self) -> float:
        return self.bytes / 1e6

    @property
    def throughput(self) -> float:
        return self.mb / self.seconds if self.seconds else float("inf")

    @property
    def peak_mb(self) -> float:
        return self.peak_rss_kb / 1024

    def mb_per_million(self, cases: int) -> float:
        """Memory the work added over the started interpreter, per million cases."""
        return (self.peak_rss_kb - self.rss_before_kb) / 1024 / cases * 1e6


def generate(fmt: str, data: str, sizes: Sizes) -> dict[str, str]:
    """Write what is missing; returns the paths by role: big, memory, many."""
    module, ext = GENERATORS[fmt]
    os.makedirs(data, exist_ok=True)
    out = {}
    for role, cases in (("big", sizes.big), ("memory", sizes.memory)):
        path = os.path.join(data, f"{fmt}-{cases}.{ext}")
        if not os.path.exists(path):
            print(f"generating {path}", file=sys.stderr, flush=True)
            module.write_big(path + ".part", cases)
            os.replace(path + ".part", path)
        out[role] = path
    many = os.path.join(data, f"{fmt}-many-{sizes.files}x{sizes.cases_per_file}")
    # The marker sits beside the directory: inside it, the globs would read it as a result file.
    if not os.path.exists(many + ".complete"):
        print(f"generating {many}/", file=sys.stderr, flush=True)
        module.write_many(many, sizes.files, sizes.cases_per_file)
        open(many + ".complete", "w").close()
    out["many"] = many
    return out


def measure(label: str, tool: str, path: str, *, jobs: int = 1, repeat: int = 1) -> Measurement:
    """Run one tool on one input in fresh processes; the fastest of `repeat` runs counts."""
    best: Measurement | None = None
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, os.path.join(HERE, "measure.py"), tool, path, "--jobs", str(jobs)],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(f"{tool} on {path} failed:\n{proc.stderr.strip()[-2000:]}")
        r = json.loads(proc.stdout.splitlines()[-1])
        m = Measurement(label, tool if jobs == 1 else f"{tool} --jobs {jobs}", r["files"], r["bytes"], r["cases"],
                        r["seconds"], r["peak_rss_kb"], r["rss_before_kb"])
        if best is None or m.seconds < best.seconds:
            best = m
        print(f"  {label:<34} {m.tool:<26} {m.seconds:8.2f} s {m.peak_mb:8.1f} MB", file=sys.stderr, flush=True)
    assert best is not None
    return best


def table(rows: list[Measurement], cases_of: dict[str, int]) -> str:
    lines = [
        "| input | tool | files | MB | cases | wall (s) | MB/s | peak RSS (MB) | MB per 1M cases |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for m in rows:
        cases = cases_of[m.input]
        lines.append(
            f"| {m.input} | {m.tool} | {m.files:,} | {m.mb:,.1f} | {cases:,} | {m.seconds:,.2f} | "
            f"{m.throughput:,.1f} | {m.peak_mb:,.1f} | {m.mb_per_million(cases):,.0f} |"
        )
    return "\n".join(lines)


def _verdict(ok: bool, detail: str) -> str:
    return f"{'met   ' if ok else 'MISSED'} {detail}"


def targets(rows: list[Measurement], sizes: Sizes, quick: bool) -> list[str]:
    by = {(m.input, m.tool): m for m in rows}
    out = []
    for fmt in GENERATORS:
        big = f"{fmt} {sizes.big:,} cases"
        ours, bare = by.get((big, "testrelay")), by.get((big, "iterparse"))
        if ours and bare:
            ratio = ours.seconds / bare.seconds
            out.append(_verdict(ratio <= MAX_VS_ITERPARSE,
                                f"{fmt}: testrelay takes {ratio:.2f}x the time of bare iterparse "
                                f"(target <= {MAX_VS_ITERPARSE}x)"))
        entry = by.get((big, "testrelay-parse"))
        if entry and bare:
            out.append(f"info   {fmt}: through parse(), {entry.seconds / bare.seconds:.2f}x the time of bare iterparse"
                       + (f", {other_time / entry.seconds:.2f}x as fast as junitparser"
                          if (other_time := getattr(by.get((big, "junitparser")), "seconds", None)) else ""))
        other = by.get((big, "junitparser"))
        if ours and other:
            speedup = other.seconds / ours.seconds
            out.append(_verdict(speedup >= MIN_VS_JUNITPARSER,
                                f"{fmt}: testrelay is {speedup:.2f}x as fast as junitparser "
                                f"(target >= {MIN_VS_JUNITPARSER}x)"))
    mem = by.get((f"junit {sizes.memory:,} cases", "testrelay"))
    if mem:
        detail = (f"junit: peak RSS {mem.peak_mb:,.1f} MB on the {sizes.memory:,}-case file "
                  f"({mem.mb:,.1f} MB; target < {MAX_PEAK_MB_200K:.0f} MB on 200,000 cases)")
        if sizes.memory == FULL.memory:
            out.append(_verdict(mem.peak_mb < MAX_PEAK_MB_200K, detail))
        else:
            out.append(f"n/a    {detail}; checked at full size only")
    for fmt in GENERATORS:
        many = f"{fmt} {sizes.files:,} files"
        one, two = by.get((many, "testrelay-parse")), by.get((many, "testrelay-parse --jobs 2"))
        if one and two:
            out.append(f"info   {fmt}: {sizes.files:,} files read {one.seconds / two.seconds:.2f}x as fast "
                       "with 2 processes as with 1")
        other = by.get((many, "junitparser"))
        if one and other:
            # parse() picks 2 processes from PARALLEL_MIN_FILES files on; junitparser reads in one.
            default = two if two and sizes.files >= PARALLEL_MIN_FILES else one
            out.append(_verdict(other.seconds / default.seconds >= MIN_VS_JUNITPARSER,
                                f"{fmt}: {sizes.files:,} files, parse() as it runs by default is "
                                f"{other.seconds / default.seconds:.2f}x as fast as junitparser "
                                f"(in one process {other.seconds / one.seconds:.2f}x; target >= "
                                f"{MIN_VS_JUNITPARSER}x)"))
    if quick:
        out.append("note   --quick sizes: timings are a smoke check, not the benchmark")
    return out


def machine() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    import lxml.etree

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cores} cores ({model or platform.machine()}), Python {platform.python_version()}, "
            f"lxml {'.'.join(map(str, lxml.etree.LXML_VERSION[:3]))}, {platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke check")
    parser.add_argument("--cases", type=int, help="cases in the big file (and the memory file, if fewer)")
    parser.add_argument("--files", type=int, help="files in the many-files set")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest counts")
    parser.add_argument("--data", default=os.path.join(HERE, "data"), help="where inputs are generated")
    parser.add_argument("--formats", default="junit,trx", help="comma-separated: junit, trx")
    parser.add_argument("--check", action="store_true", help="exit with 1 when a target is missed")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.cases:
        sizes = Sizes(big=args.cases, memory=min(args.cases, sizes.memory), files=sizes.files)
    if args.files:
        sizes = Sizes(big=sizes.big, memory=sizes.memory, files=args.files)
    fmts = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in fmts if f not in GENERATORS]
    if unknown:
        parser.error(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(GENERATORS)}")

    rows: list[Measurement] = []
    cases_of: dict[str, int] = {}
    for fmt in fmts:
        paths = generate(fmt, args.data, sizes)
        big, memory, many = (f"{fmt} {sizes.big:,} cases", f"{fmt} {sizes.memory:,} cases",
                             f"{fmt} {sizes.files:,} files")
        cases_of.update({big: sizes.big, memory: sizes.memory, many: sizes.files * sizes.cases_per_file})
        tools = ["iterparse", *(["junitparser"] if fmt == "junit" else []), "testrelay"]
        for tool in tools:
            rows.append(measure(big, tool, paths["big"], repeat=args.repeat))
        if fmt == "junit":  # what an install without the C fast path gets
            rows.append(measure(big, "testrelay-pure", paths["big"], repeat=args.repeat))
        # The same file through parse(), the path the commands take (it pauses the cycle collector).
        rows.append(measure(big, "testrelay-parse", paths["big"], repeat=args.repeat))
        if sizes.memory != sizes.big:
            rows.append(measure(memory, "testrelay", paths["memory"], repeat=args.repeat))
        for tool in tools[:-1]:
            rows.append(measure(many, tool, paths["many"], repeat=args.repeat))
        rows.append(measure(many, "testrelay-parse", paths["many"], repeat=args.repeat))
        rows.append(measure(many, "testrelay-parse", paths["many"], jobs=2, repeat=args.repeat))

    verdicts = targets(rows, sizes, args.quick)
    print(f"Machine: {machine()}\n")
    print(table(rows, cases_of))
    print("\nTargets:\n")
    for line in verdicts:
        print(f"    {line}")
    missed = any(v.startswith("MISSED") for v in verdicts)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
