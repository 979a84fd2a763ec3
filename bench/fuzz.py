"""The fuzz test's long run, by hand (the suite runs a short one: tests/hardening/test_fuzz.py):

    python bench/fuzz.py                     # 300 generated hostile issue folders
    python bench/fuzz.py --examples 2000 --seed 7

Each input is the minimal issue with hostile values, bytes, files and output-folder links planted
(tests/hardening/fuzzing.py); `check` and `build` run on it. Prints how many inputs it tried, the
exit codes of each command, and every input that broke the promise (an exit code other than 0, 1
or 2, a traceback, a hang, a change outside the output folder), with the input that did it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests" / "hardening")]

from fuzzing import Example, examples, run_example
from hypothesis import HealthCheck, Phase, given, seed, settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=300, help="how many inputs to generate (default 300)")
    parser.add_argument("--seed", type=int, default=0, help="Hypothesis seed (default 0)")
    args = parser.parse_args()
    codes: dict[str, Counter[str]] = {"check": Counter(), "build": Counter()}
    broken: list[tuple[Example, list[str]]] = []
    start = time.perf_counter()

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(examples())
    def one(example: Example) -> None:
        with tempfile.TemporaryDirectory(prefix="typeset-fuzz-") as folder:
            outcome = run_example(example, Path(folder))
        for command, code in outcome.codes.items():
            codes[command]["hang" if code is None else str(code)] += 1
        if outcome.problems:
            broken.append((example, outcome.problems))
        tried = sum(codes["build"].values())
        if tried % 25 == 0:
            print(f"  {tried} inputs, {len(broken)} broke the promise, {time.perf_counter() - start:.0f} s", file=sys.stderr)

    one()
    tried = sum(codes["build"].values())
    print(f"{tried} inputs in {time.perf_counter() - start:.0f} s (seed {args.seed})")
    for command, counts in codes.items():
        print(f"  {command}: " + ", ".join(f"exit {code}: {n}" for code, n in sorted(counts.items())))
    print(f"  broke the promise: {len(broken)}")
    for example, problems in broken:
        print(f"\n{example}\n  " + "\n  ".join(p.replace("\n", "\n    ") for p in problems))
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
