#!/usr/bin/env python3
"""A bounded mutation fuzzer of the scenario reader, driving the real binary (`cdpsim validate`).

Seeds: scenarios/*.toml and tests/fuzz/regressions/*.toml. Each case mutates a seed (byte flips,
deleted, duplicated and swapped lines, spliced seeds, deep nesting, huge and odd numbers, dates,
control bytes) and runs `cdpsim validate CASE`. A case fails when cdpsim dies of a signal, exits
with anything but 0 or 2, takes longer than --timeout seconds, or exits 2 without a one-line
"cdpsim: error:" message. Failing inputs are written to --crashers (default
tests/fuzz/crashers/); once fixed, move them to tests/fuzz/regressions/ where
tests/cli/test_fuzz_regressions.py replays them on every test run.

    python3 tests/fuzz/fuzz_scenarios.py --bin build/app/cdpsim --seconds 90     # CI
    python3 tests/fuzz/fuzz_scenarios.py --bin build/app/cdpsim --cases 1000000 --seed 7   # long

Exit 0 when no case failed. Deterministic for a given --seed (apart from where --seconds stops).
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

TOKENS = [b"[", b"]", b"[[", b"]]", b"{", b"}", b"=", b".", b",", b'"', b"'", b'"""', b"\n",
          b"#", b"extends = ", b"0", b"-1", b"1e308", b"nan", b"inf", b"2020-02-30",
          b"0001-01-01", b"9999-12-31", b"true", b"\x00", b"\xff", b"\\u0000",
          b"1" * 70 + b".5", b"0." + b"9" * 70, b"9223372036854775808", b"[shocks]",
          b"[[territories]]", b"[[platforms]]", b"neighbours = [", b'name = "a"']


def mutate(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
        lines = data.split(b"\n")
        if op == 0 and data:  # flip bytes
            b = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            data = bytes(b)
        elif op == 1 and len(lines) > 1:  # delete a line
            del lines[rng.randrange(len(lines))]
            data = b"\n".join(lines)
        elif op == 2:  # duplicate a line
            i = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
            data = b"\n".join(lines)
        elif op == 3 and len(lines) > 1:  # swap lines
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif op == 4:  # insert a token
            at = rng.randrange(len(data) + 1)
            data = data[:at] + rng.choice(TOKENS) + data[at:]
        elif op == 5:  # splice another seed
            other = rng.choice(seeds)
            data = data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1):]
        elif op == 6:  # deep nesting
            n = rng.choice([10, 33, 100, 5000])
            kind = rng.randrange(3)
            deep = (b"a" + b".a" * n + b" = 1" if kind == 0 else
                    b"x = " + b"[" * n + b"]" * n if kind == 1 else
                    b"[" + b"a." * n + b"a]")
            data += b"\n" + deep + b"\n"
        elif op == 7 and lines:  # replace a value
            i = rng.randrange(len(lines))
            if b"=" in lines[i]:
                key = lines[i].split(b"=", 1)[0]
                lines[i] = key + b"= " + rng.choice(TOKENS)
                data = b"\n".join(lines)
        else:  # truncate
            data = data[: rng.randrange(len(data) + 1)]
    return data


def run_case(binary: str, path: Path, timeout: float) -> str | None:
    """None when cdpsim handled the case, else why it failed."""
    try:
        proc = subprocess.run([binary, "validate", str(path)], capture_output=True,
                              timeout=timeout, cwd=path.parent)
    except subprocess.TimeoutExpired:
        return f"timeout after {timeout} s"
    if proc.returncode < 0:
        return f"killed by signal {-proc.returncode}"
    if proc.returncode not in (0, 2):
        return f"exit code {proc.returncode}: {proc.stderr[-300:]!r}"
    if proc.returncode == 2:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        if len(err) != 1 or not err[0].startswith("cdpsim: error:"):
            return f"exit 2 without one 'cdpsim: error:' line: {proc.stderr[-300:]!r}"
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.environ.get("CDPSIM_BIN", str(ROOT / "build/app/cdpsim")))
    ap.add_argument("--seconds", type=float, default=60.0, help="stop after this long")
    ap.add_argument("--cases", type=int, default=0, help="stop after this many cases (0: none)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds allowed per case")
    ap.add_argument("--crashers", default=str(HERE / "crashers"))
    args = ap.parse_args()

    args.bin = str(Path(args.bin).resolve())
    seed_files = sorted((ROOT / "scenarios").glob("*.toml")) + sorted(
        (HERE / "regressions").glob("*.toml"))
    seeds = [p.read_bytes() for p in seed_files]
    rng = random.Random(args.seed)
    failures = 0
    start = time.monotonic()
    n = 0
    with tempfile.TemporaryDirectory(prefix="cdpsim-fuzz-") as tmp:
        work = Path(tmp)
        # Relative extends in the seeds resolve next to the case.
        for p in (ROOT / "scenarios").glob("*.toml"):
            (work / p.name).write_bytes(p.read_bytes())
        case = work / "case.toml"
        while True:
            if args.cases and n >= args.cases:
                break
            if not args.cases and time.monotonic() - start >= args.seconds:
                break
            data = mutate(rng, rng.choice(seeds), seeds)
            case.write_bytes(data)
            n += 1
            why = run_case(args.bin, case, args.timeout)
            if why:
                failures += 1
                out = Path(args.crashers)
                out.mkdir(parents=True, exist_ok=True)
                kept = out / f"crash-{args.seed}-{n}.toml"
                kept.write_bytes(data)
                print(f"FAIL case {n}: {why} (kept as {kept})", file=sys.stderr)
    secs = time.monotonic() - start
    print(f"fuzz: {n} cases in {secs:.0f} s ({n / max(secs, 1e-9):.0f}/s), {failures} failing")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
