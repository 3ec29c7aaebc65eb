#!/usr/bin/env python3
"""Inputs whose cost could grow faster than their size: many shortcode calls
or links on one line, a huge word in front matter or data, a huge paragraph.
Each is built with the release binary and timed as a whole process; the
10,000/30,000 pairs show whether the cost is linear (a ratio near 3).

    python3 bench/pathological.py [--anxin target/release/anxin]

Standard library only. Sites are written under a temporary folder and
deleted afterwards. Not a test: it prints figures, it asserts nothing.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def page(title, body, extra=""):
    return f'+++\ntitle = "{title}"\n{extra}+++\n\n{body}\n'


def cases():
    """(name, files to write into a new starter site)."""
    word = "a" * 1_000_000
    han = "心理健康宣传" * 170_000  # about 1 MB
    for n in (10_000, 30_000):
        yield f"{n:,} hotline calls on one line", {
            "content/many.md": page("x", " ".join(['{{ hotline(number="12356") }}'] * n)),
        }
    for n in (10_000, 30_000):
        yield f"{n:,} links on one line", {
            "content/links.md": page("x", " ".join(["[a](about.md)"] * n)),
        }
    yield "1 MB word in title and description", {
        "content/long.md": page(word, "body", f'description = "{word}"\n'),
    }
    yield "1 MB word in a page body", {"content/long.md": page("x", word)}
    yield "1 MB Chinese paragraph", {"content/long.md": page("x", han)}
    yield "1 MB word in a hotline's name", {
        "data/hotlines.toml": (
            '[[hotline]]\nname = "' + word + '"\nnumber = "12356"\nhours = "24/7"\n'
            'area = "national"\nverified = 2026-11-01\n'
        ),
    }


def run(anxin, root):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(
        [anxin, "build", "--root", root, "--output", os.path.join(root, "public")],
        capture_output=True, text=True, timeout=600,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # ru_maxrss of children is the largest of any child so far: each case
    # runs in its own python process below, so it is this build's.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out.returncode, wall, cpu, after.ru_maxrss / 1024, out.stderr.strip().splitlines()[:1]


def one(anxin, index):
    name, files = list(cases())[index]
    tmp = tempfile.mkdtemp(prefix="anxin-pathological-")
    try:
        root = os.path.join(tmp, "site")
        subprocess.run([anxin, "new", root], check=True, capture_output=True)
        for rel, text in files.items():
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        code, wall, cpu, rss, first = run(anxin, root)
        status = "ok" if code == 0 else f"exit {code}: {first[0] if first else ''}"
        print(f"{name:<40} {wall:>8.2f} {cpu:>8.2f} {rss:>9.0f}  {status}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anxin", default=os.path.join(REPO, "target/release/anxin"))
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case is not None:
        one(args.anxin, args.case)
        return
    if not os.path.exists(args.anxin):
        sys.exit(f"{args.anxin} is missing: run cargo build --release first")
    print(f"{'input':<40} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}  result")
    for i, _ in enumerate(cases()):
        # A process per case, so that each peak memory figure is its own.
        subprocess.run([sys.executable, __file__, "--anxin", args.anxin, "--case", str(i)], check=False)


if __name__ == "__main__":
    main()
