#!/usr/bin/env python3
"""Full build time of anxin, Hugo and a floor program on the same synthetic content.

    python3 bench/build.py                       # 1k, 10k and 100k pages, tmpfs and disk
    python3 bench/build.py --sizes 1000,10000 --runs 5

For each size N (--sizes) and each file system (--fs: tmpfs = /dev/shm, disk = a
folder under the repository's target/ on the working disk) it

 1. generates an N-page site with examples/synth.rs (fixed seed, so the same N
    gives the same bytes) on that file system, copies bench/anxin-minimal/templates
    into it as templates/ (templates that render what the Hugo site renders),
    turns its search index off (the Hugo site has none), and
    makes the Hugo site with bench/prepare-hugo.sh (its contentDir is the very same
    content/ folder);
 2. runs, interleaved (A B C A B C ...), so that drift hits all alike:
      anxin            anxin build --root SITE --output OUT     (OUT new and empty)
      hugo             hugo --source HUGO_SITE --destination OUT --quiet (OUT empty)
      floor            target/release/examples/floor SITE OUT   (OUT empty)
    --warmup rounds first (not counted), then --runs rounds; then the same number
    of rounds of
      anxin (rebuild)  anxin build into the output of an earlier anxin build,
                       which is not deleted first (anxin replaces it)
    (after the fresh builds, since every rebuild deletes a whole site, see below);
 3. times each run as a whole process: wall time with time.perf_counter around
    start and exit, user + system CPU time and peak RSS from os.wait4 (the child's
    resource usage), and the CPU time the rest of the machine used meanwhile (a
    measure of noise); each run must exit with status 0, and the HTML files it
    wrote are counted. Before each run the file systems are synced and the
    machine is left to settle (see settle()). Outside the timed region
    outputs deleted: on tmpfs right after each run, on the disk only after the
    last run of the size (on ext4, creating files soon after deleting many is
    slower, which would slow down whichever command ran after a deletion);
 4. prints a table per file system: median wall, min-max wall, median CPU, median
    peak RSS, HTML files written; and per size the ratios anxin/floor (wall, CPU),
    hugo/anxin (wall, CPU) and rebuild/anxin (wall), each the median of the
    per-round ratios.

A run that fails or exceeds --timeout is reported, and that command is not run
again at that size and file system. --json FILE writes every single run.
Hugo is Debian's package: installed with apt-get when it is missing and this runs
as root. Standard library only.
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from hugo_install import find_or_install_hugo

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
TEMPLATES_DIR = os.path.join(BENCH_DIR, "anxin-minimal", "templates")
SEED = 42
COMMANDS = ["anxin", "rebuild", "hugo", "floor"]
LABELS = {"anxin": "anxin", "rebuild": "anxin (rebuild)", "hugo": "hugo", "floor": "floor"}
# Rough seconds per 1000 pages of one run, for the up-front estimate only (2-core
# VM, tmpfs; Hugo grows faster than linearly and is slower on disk).
EST_S_PER_1K = {"anxin": 0.25, "rebuild": 0.3, "hugo": 1.1, "floor": 0.05}
EST_SETUP_S_PER_1K = 0.5  # synth, copying, prepare-hugo, deleting outputs, syncing


def die(msg, code=1):
    print(f"build.py: error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg=""):
    print(msg, flush=True)


def size_label(n):
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def fmt_s(s):
    if s is None:
        return "-"
    return f"{s:.3f}" if s < 10 else f"{s:.2f}" if s < 100 else f"{s:.1f}"


def fmt_duration(s):
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"


# ---------------------------------------------------------------------------
# Setup
# ---------------------------------------------------------------------------


def run_checked(argv, what, cwd=None):
    log(f"$ {' '.join(argv)}")
    p = subprocess.run(argv, cwd=cwd)
    if p.returncode != 0:
        die(f"{what} failed (status {p.returncode}): {' '.join(argv)}")


def build_binaries(args):
    """Paths of anxin, floor and synth; builds them with cargo unless told not to."""
    release = os.path.join(REPO_DIR, "target", "release")
    need = set(args.only) | {"synth"}
    if not args.no_cargo:
        if args.anxin is None and need & {"anxin", "rebuild"}:
            run_checked(["cargo", "build", "--release"], "cargo build", cwd=REPO_DIR)
        examples = []
        if args.floor is None and "floor" in need:
            examples += ["--example", "floor"]
        if args.synth is None:
            examples += ["--example", "synth"]
        if examples:
            run_checked(["cargo", "build", "--release"] + examples, "cargo build", cwd=REPO_DIR)
    paths = {
        "anxin": args.anxin or os.path.join(release, "anxin"),
        "floor": args.floor or os.path.join(release, "examples", "floor"),
        "synth": args.synth or os.path.join(release, "examples", "synth"),
    }
    for name, path in paths.items():
        if name == "anxin" and not need & {"anxin", "rebuild"}:
            continue
        if name == "floor" and "floor" not in need:
            continue
        if not os.access(path, os.X_OK):
            die(f"{path} is not an executable; build it (cargo build --release"
                f"{' --example ' + name if name != 'anxin' else ''}) or pass --{name} PATH")
        paths[name] = os.path.abspath(path)
    return paths


def snapshot_binaries(bins, into):
    """Copies anxin and floor into `into`, so that a cargo build elsewhere during
    the measurements does not swap the binary under test; returns the new paths and
    a short SHA-256 of each."""
    os.makedirs(into, exist_ok=True)
    out, digests = dict(bins), {}
    for name in ("anxin", "floor"):
        src = bins.get(name)
        if not src or not os.path.exists(src):
            continue
        dst = os.path.join(into, name)
        shutil.copy2(src, dst)
        h = hashlib.sha256()
        with open(dst, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        out[name], digests[name] = dst, h.hexdigest()[:12]
    return out, digests


def find_hugo(arg):
    return find_or_install_hugo(arg, log) or die(
        "hugo is not installed; install it with `apt-get update && apt-get install -y hugo` (as root),"
        " pass --hugo PATH, or leave it out with --only anxin,rebuild,floor")


def tool_version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        return ((out.stdout or out.stderr).strip().splitlines() or ["?"])[0]
    except Exception as e:  # noqa: BLE001
        return f"unknown ({e})"


def mount_of(path):
    """(mount point, fs type, device) of the file system that holds path."""
    path = os.path.realpath(path)
    best = ("/", "?", "?")
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                if len(parts) < 3:
                    continue
                dev, mnt, fstype = parts[0], parts[1].replace("\\040", " "), parts[2]
                if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best[0]):
                    best = (mnt, fstype, dev)
    except OSError:
        pass
    return best


def fs_dirs(args):
    """{'tmpfs': dir, 'disk': dir} for the file systems asked for, each checked."""
    out = {}
    for fs in args.fs:
        if fs == "tmpfs":
            base = args.tmpfs_dir
        else:
            base = args.disk_dir or os.path.join(REPO_DIR, "target", "bench-build")
        os.makedirs(base, exist_ok=True)
        work = os.path.join(os.path.abspath(base), f"anxin-bench-build-{os.getpid()}")
        mnt, fstype, dev = mount_of(base)
        if fs == "tmpfs" and fstype != "tmpfs":
            die(f"{base} is on {fstype} ({mnt}), not tmpfs; pass --tmpfs-dir DIR", 2)
        if fs == "disk" and fstype in ("tmpfs", "ramfs"):
            die(f"{base} is on {fstype}, not a disk; pass --disk-dir DIR", 2)
        out[fs] = {"dir": work, "mount": mnt, "fstype": fstype, "device": dev}
    return out


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


# ---------------------------------------------------------------------------
# One timed run
# ---------------------------------------------------------------------------


CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def busy_cpu_s():
    """CPU seconds the whole machine has been busy (all processes), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        # user nice system idle iowait irq softirq steal ...
        v = [int(x) for x in fields[1:9]]
        return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / CLK_TCK
    except (OSError, ValueError, IndexError):
        return None


def mem_available_kib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def settle(limit_s=60.0, window_s=0.25):
    """Waits until the machine is quiet: less than a tenth of a core busy and
    available memory no longer growing over one window. After a run that used
    gigabytes (Hugo at 100k holds 15 GiB) the kernel goes on freeing them for
    seconds after the process exits, and that work would be charged to the next
    run. Returns the seconds waited."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit_s:
        busy0, mem0 = busy_cpu_s(), mem_available_kib()
        time.sleep(window_s)
        busy1, mem1 = busy_cpu_s(), mem_available_kib()
        if None in (busy0, busy1, mem0, mem1):
            break
        if (busy1 - busy0) < 0.1 * window_s and mem1 - mem0 < 16 * 1024:
            break
    return time.perf_counter() - t0


def timed_run(argv, log_path, timeout, cwd):
    """Runs argv as one process (in its own session); returns a dict with wall_s,
    cpu_s, user_s, sys_s, maxrss_kib, status ('ok', 'exit N', 'signal N', 'timeout')."""
    with open(log_path, "wb") as logf:
        busy0 = busy_cpu_s()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            stdout=logf,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
        )
        timed_out = threading.Event()

        def on_timeout():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, on_timeout)
        timer.daemon = True
        timer.start()
        try:
            while True:
                try:
                    _, wstatus, ru = os.wait4(proc.pid, 0)
                    break
                except InterruptedError:
                    continue
            wall = time.perf_counter() - t0
            busy1 = busy_cpu_s()
        except KeyboardInterrupt:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            raise
        finally:
            timer.cancel()
        # Popen must not wait for the process again.
        proc.returncode = os.waitstatus_to_exitcode(wstatus)
    # Any process it left behind in its session.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if timed_out.is_set():
        status = "timeout"
    elif os.WIFSIGNALED(wstatus):
        sig = os.WTERMSIG(wstatus)
        status = f"signal {sig}" + (" (SIGKILL: out of memory?)" if sig == signal.SIGKILL else "")
    elif os.WEXITSTATUS(wstatus) != 0:
        status = f"exit {os.WEXITSTATUS(wstatus)}"
    else:
        status = "ok"
    cpu = ru.ru_utime + ru.ru_stime
    # CPU time the rest of the machine used meanwhile (other processes, this
    # script, kernel threads such as write-back): a measure of the noise.
    others = None if busy0 is None or busy1 is None else max(0.0, busy1 - busy0 - cpu)
    return {
        "status": status,
        "wall_s": wall,
        "user_s": ru.ru_utime,
        "sys_s": ru.ru_stime,
        "cpu_s": cpu,
        "maxrss_kib": ru.ru_maxrss,  # KiB on Linux
        "others_cpu_s": others,
    }


def count_output(root):
    """(files, HTML files, bytes) under root."""
    files = html = size = 0
    for r, _, fs in os.walk(root):
        for f in fs:
            files += 1
            if f.endswith(".html"):
                html += 1
            try:
                size += os.lstat(os.path.join(r, f)).st_size
            except OSError:
                pass
    return files, html, size


def remove(path):
    if os.path.lexists(path):
        # rm -rf, not shutil.rmtree: on the disk at 100k the harness deletes a dozen
        # trees of 122k files each, and rmtree took over an hour for them.
        subprocess.run(["rm", "-rf", "--", path], check=False)
        if os.path.lexists(path):
            die(f"cannot delete {path}")


def tail(path, n=20):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join("    | " + line for line in lines[-n:])
    except OSError:
        return ""


# ---------------------------------------------------------------------------
# One size on one file system
# ---------------------------------------------------------------------------


def prepare_sites(n, fs_info, bins, args):
    """Generates the site and the Hugo site for n pages under fs_info['dir']."""
    base = os.path.join(fs_info["dir"], f"s{size_label(n)}")
    site = os.path.join(base, "site")
    hugo_site = os.path.join(base, "hugo-site")
    remove(base)
    os.makedirs(base)
    t0 = time.perf_counter()
    p = subprocess.run(
        [bins["synth"], "--pages", str(n), "--out", site, "--seed", str(SEED), "--force"],
        capture_output=True, text=True,
    )
    if p.returncode != 0:
        die(f"synth failed (status {p.returncode}):\n{p.stdout}{p.stderr}")
    log("  " + (p.stdout.strip().splitlines() or ["synth: done"])[-1])
    shutil.copytree(TEMPLATES_DIR, os.path.join(site, "templates"))
    # The Hugo site has no search index, so the anxin site builds none either
    # (a top-level key, so it goes before the tables).
    config_path = os.path.join(site, "site.toml")
    with open(config_path, encoding="utf-8") as f:
        config = f.read()
    with open(config_path, "w", encoding="utf-8") as f:
        f.write("build_search_index = false\n" + config)
    if "hugo" in args.only:
        p = subprocess.run(
            ["sh", os.path.join(BENCH_DIR, "prepare-hugo.sh"), site, hugo_site],
            capture_output=True, text=True,
        )
        if p.returncode != 0:
            die(f"prepare-hugo.sh failed (status {p.returncode}):\n{p.stdout}{p.stderr}")
    log(f"  sites ready in {time.perf_counter() - t0:.1f} s: {site}" + (f", {hugo_site}" if "hugo" in args.only else ""))
    return base, site, hugo_site


def measure(n, fs, fs_info, bins, args, measurements):
    """Measures one size on one file system; appends its record to measurements
    first, so that what was measured before a Ctrl-C is still reported."""
    base, site, hugo_site = prepare_sites(n, fs_info, bins, args)
    outs = os.path.join(base, "out")
    logs = os.path.join(base, "logs")
    os.makedirs(outs, exist_ok=True)
    os.makedirs(logs, exist_ok=True)
    # On tmpfs (memory) each output is deleted right after its run. On the disk
    # every fresh run gets a folder of its own and all are deleted only after the
    # last run of this size: on ext4 (at least without a journal, as on the
    # development VM) creating files soon after deleting many is slower, which
    # would slow down whichever command ran after a deletion.
    keep_outputs = fs == "disk"

    def argv_of(cmd, out):
        if cmd in ("anxin", "rebuild"):
            return [bins["anxin"], "build", "--root", site, "--output", out]
        if cmd == "hugo":
            return [bins["hugo"], "--source", hugo_site, "--destination", out, "--quiet"]
        return [bins["floor"], site, out]

    runs = args.runs_100k if (n >= 100000 and args.runs_100k) else args.runs
    order = [c for c in COMMANDS if c in args.only]
    results = {c: [] for c in order}  # measured runs only
    warm = {c: [] for c in order}
    dead = {}  # cmd -> why it is not run again
    rounds = args.warmup + runs
    record = {
        "size": n,
        "fs": fs,
        "runs": runs,
        "warmup": args.warmup,
        "results": results,
        "warmup_results": warm,
        "dead": dead,
        "load_before": os.getloadavg(),
        "load_after": None,
        "kept": base if args.keep else None,
    }
    measurements.append(record)

    def tag_of(rnd):
        if rnd < args.warmup:
            return f"warm-up {rnd + 1}/{args.warmup}"
        return f"run {rnd - args.warmup + 1}/{runs}"

    def one(cmd, rnd, out):
        """One timed run of cmd into out; records and prints it."""
        tag = tag_of(rnd)
        os.sync()  # the previous run's write-back is not this run's
        settle()
        log_path = os.path.join(logs, f"{cmd}-{rnd}.log")
        r = timed_run(argv_of(cmd, out), log_path, args.timeout, base)
        r["round"] = rnd
        r["files"], r["html"], r["bytes"] = count_output(out)
        line = (
            f"  [{size_label(n)} {fs}] {tag:>11} {LABELS[cmd]:<15} {r['wall_s']:8.3f} s wall, "
            f"{r['cpu_s']:8.3f} s CPU, {r['maxrss_kib'] / 1024:7.0f} MiB, "
            f"{r['html']} HTML of {r['files']} files"
            + (f"; others {r['others_cpu_s']:.2f} s CPU" if r["others_cpu_s"] is not None else "")
        )
        if r["status"] != "ok":
            why = f"timed out after {args.timeout:g} s" if r["status"] == "timeout" else f"failed ({r['status']})"
            line += f"  ** {why} **"
            dead[cmd] = f"{why} in {tag}; not run again"
            log(line)
            if tail(log_path):
                log(tail(log_path))
        else:
            log(line)
        (warm if rnd < args.warmup else results)[cmd].append(r)
        return r

    # Fresh builds, interleaved: anxin hugo floor anxin hugo floor ...
    fresh = [c for c in order if c != "rebuild"]
    for rnd in range(rounds):
        for cmd in fresh:
            if cmd in dead:
                continue
            out = os.path.join(outs, f"{cmd}-{rnd}" if keep_outputs else cmd)
            remove(out)
            os.makedirs(out)  # a new, empty output folder
            r = one(cmd, rnd, out)
            if not keep_outputs and not (args.keep and rnd == rounds - 1):
                remove(out)  # tmpfs is memory
            elif keep_outputs and free_bytes(outs) < 3 * r["bytes"] + (2 << 30):
                log(f"  note: little space left on {fs}; deleting outputs now instead of after the last run")
                remove(out)

    # Rebuilds: anxin into the output of an earlier anxin build, which it replaces
    # (deleting the old one is part of it). Run after the fresh builds, for the
    # same reason as above: each one deletes a whole site.
    if "rebuild" in order:
        out = os.path.join(outs, "rebuild")
        remove(out)
        os.makedirs(out)
        os.sync()
        r0 = timed_run(argv_of("anxin", out), os.path.join(logs, "rebuild-setup.log"), args.timeout, base)
        if r0["status"] != "ok":
            dead["rebuild"] = f"the untimed anxin build before the rebuilds failed ({r0['status']})"
            log(f"  [{size_label(n)} {fs}] {LABELS['rebuild']}: {dead['rebuild']}")
        else:
            log(f"  [{size_label(n)} {fs}] rebuilds into {out} (made by one more, untimed anxin build)")
            for rnd in range(rounds):
                if "rebuild" in dead:
                    break
                one("rebuild", rnd, out)

    record["load_after"] = os.getloadavg()
    if not args.keep:
        t0 = time.perf_counter()
        remove(base)
        log(f"  deleted the sites and outputs in {time.perf_counter() - t0:.1f} s")


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def ok_runs(rs):
    return [r for r in rs if r["status"] == "ok"]


def summarize(rs):
    ok = ok_runs(rs)
    if not ok:
        return None
    walls = [r["wall_s"] for r in ok]
    htmls = sorted({r["html"] for r in ok})
    return {
        "n": len(ok),
        "wall_median_s": statistics.median(walls),
        "wall_min_s": min(walls),
        "wall_max_s": max(walls),
        "cpu_median_s": statistics.median(r["cpu_s"] for r in ok),
        "rss_median_mib": statistics.median(r["maxrss_kib"] for r in ok) / 1024,
        "html": htmls,
        "files": statistics.median(r["files"] for r in ok),
        "mib": statistics.median(r["bytes"] for r in ok) / 1048576,
    }


def pair_ratios(results, a, b, key):
    """Median over rounds of a[key] / b[key], using rounds where both succeeded."""
    ra = {r["round"]: r for r in ok_runs(results.get(a, []))}
    rb = {r["round"]: r for r in ok_runs(results.get(b, []))}
    xs = [ra[k][key] / rb[k][key] for k in ra if k in rb and rb[k][key] > 0]
    if not xs:
        return None
    return statistics.median(xs), min(xs), max(xs), len(xs)


def print_tables(measurements, fs_info, args):
    for fs in args.fs:
        ms = [m for m in measurements if m["fs"] == fs]
        if not ms:
            continue
        info = fs_info[fs]
        log()
        log(f"== {fs}: {info['dir']} ({info['fstype']} on {info['device']}, mounted at {info['mount']}) ==")
        head = f"{'pages':>6}  {'command':<15} {'runs':>4} {'wall median':>11} {'wall min-max':>17} {'CPU median':>10} {'peak RSS':>9} {'HTML files':>10} {'MiB out':>8}"
        log(head)
        log("-" * len(head))
        for m in ms:
            for cmd in [c for c in COMMANDS if c in m["results"]]:
                s = summarize(m["results"][cmd])
                if s is None:
                    log(f"{size_label(m['size']):>6}  {LABELS[cmd]:<15} {0:>4} {m['dead'].get(cmd, 'no successful run')}")
                    continue
                html = "/".join(str(h) for h in s["html"])
                mm = f"{fmt_s(s['wall_min_s'])}-{fmt_s(s['wall_max_s'])}"
                log(
                    f"{size_label(m['size']):>6}  {LABELS[cmd]:<15} {s['n']:>4} {fmt_s(s['wall_median_s']) + ' s':>11} "
                    f"{mm + ' s':>17} {fmt_s(s['cpu_median_s']) + ' s':>10} {s['rss_median_mib']:>5.0f} MiB "
                    f"{html:>10} {s['mib']:>8.1f}"
                )
                if cmd in m["dead"]:
                    log(f"{'':>6}  {'':<15} note: {m['dead'][cmd]}")
            sa = summarize(m["results"].get("anxin", []))
            sh = summarize(m["results"].get("hugo", []))
            if sa and sh and sa["html"] != sh["html"]:
                log(f"{'':>6}  note: anxin and hugo wrote different numbers of HTML files (below about 1,000 pages"
                    " Hugo also writes a /page/1/ redirect for tags with one listing page; otherwise a build is broken)")
        log()
        log("ratios, median of the per-round ratios (min-max, rounds):")
        for m in ms:
            parts = []
            for label, a, b, key in (
                ("anxin/floor wall", "anxin", "floor", "wall_s"),
                ("anxin/floor CPU", "anxin", "floor", "cpu_s"),
                ("hugo/anxin wall", "hugo", "anxin", "wall_s"),
                ("hugo/anxin CPU", "hugo", "anxin", "cpu_s"),
                ("rebuild/anxin wall", "rebuild", "anxin", "wall_s"),
            ):
                r = pair_ratios(m["results"], a, b, key)
                if r is not None:
                    parts.append(f"{label} {r[0]:.2f} ({r[1]:.2f}-{r[2]:.2f}, {r[3]})")
            log(f"{size_label(m['size']):>6}  " + ("; ".join(parts) if parts else "-"))
            la = m["load_after"]
            runs = [r for rs in m["results"].values() for r in rs if r.get("others_cpu_s") is not None]
            noise = ""
            if runs:
                others = sum(r["others_cpu_s"] for r in runs)
                share = others / max(1e-9, sum(r["wall_s"] for r in runs) * (os.cpu_count() or 1))
                noise = (f"; other processes used {others:.1f} s CPU during the timed runs"
                         f" ({share * 100:.0f}% of the machine)")
            log(f"{'':>6}  load average {m['load_before'][0]:.2f} before, "
                + (f"{la[0]:.2f} after" if la else "interrupted") + noise)


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def parse_list(text, allowed=None, conv=str, what="value"):
    items = [conv(x.strip()) for x in text.split(",") if x.strip()]
    if not items:
        die(f"empty list of {what}s", 2)
    if allowed is not None:
        for x in items:
            if x not in allowed:
                die(f"unknown {what} {x!r}; choose from {', '.join(allowed)}", 2)
    return items


def estimate(args):
    """Seconds the whole benchmark may take, from timings on the 2-core VM."""
    total = 0.0
    for n in args.sizes:
        runs = args.runs_100k if (n >= 100000 and args.runs_100k) else args.runs
        rounds = args.warmup + runs
        k = n / 1000
        per_round = sum(EST_S_PER_1K[c] * k for c in args.only)
        if "hugo" in args.only and n >= 50000:
            per_round += 0.3 * EST_S_PER_1K["hugo"] * k  # Hugo grows faster than linearly
        if "rebuild" in args.only:
            per_round += EST_S_PER_1K["anxin"] * k / rounds  # the untimed build before the rebuilds
        for fs in args.fs:
            factor = 1.3 if fs == "disk" else 1.0
            total += rounds * per_round * factor + EST_SETUP_S_PER_1K * k * factor
            if fs == "disk":
                # Deleting the kept outputs: about 0.4 ms a file on the VM's ext4.
                outputs = rounds * len([c for c in args.only if c != "rebuild"]) + 1
                total += outputs * k * 1.2 * 0.4
    return total


def main():
    ap = argparse.ArgumentParser(
        description="Full build time of anxin (minimal templates), Hugo and a floor program on the same content.",
    )
    ap.add_argument("--sizes", default="1000,10000,100000", help="page counts (default %(default)s)")
    ap.add_argument("--runs", type=int, default=5, help="measured runs per command (default %(default)s)")
    ap.add_argument("--runs-100k", type=int, help="measured runs for sizes of 100,000 pages and more (default: --runs)")
    ap.add_argument("--warmup", type=int, default=1, help="rounds run first and not counted (default %(default)s)")
    ap.add_argument("--fs", default="tmpfs,disk", help="file systems: tmpfs, disk (default %(default)s)")
    ap.add_argument(
        "--only", default=",".join(COMMANDS),
        help="commands: anxin, rebuild (anxin into its existing output), hugo, floor (default %(default)s)",
    )
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per run before it is killed (default %(default)s)")
    ap.add_argument("--tmpfs-dir", default="/dev/shm", help="a folder on tmpfs (default %(default)s)")
    ap.add_argument("--disk-dir", help="a folder on the working disk (default: target/bench-build in the repository)")
    ap.add_argument("--anxin", help="the anxin binary (default: target/release/anxin, built with cargo)")
    ap.add_argument("--floor", help="the floor binary (default: target/release/examples/floor, built with cargo)")
    ap.add_argument("--synth", help="the synth binary (default: target/release/examples/synth, built with cargo)")
    ap.add_argument("--hugo", help="the hugo binary (default: hugo on PATH; installed with apt-get when missing and root)")
    ap.add_argument("--no-cargo", action="store_true", help="do not run cargo build; use the binaries as they are")
    ap.add_argument("--json", help="also write every run to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the generated sites, the outputs (tmpfs: the last run's) and the logs")
    args = ap.parse_args()

    args.sizes = parse_list(args.sizes, conv=int, what="size")
    args.fs = parse_list(args.fs, allowed=["tmpfs", "disk"], what="file system")
    args.only = parse_list(args.only, allowed=COMMANDS, what="command")
    if any(n < 1 for n in args.sizes):
        die("sizes must be at least 1", 2)
    if args.runs < 1 or (args.runs_100k is not None and args.runs_100k < 1):
        die("--runs and --runs-100k must be at least 1", 2)
    if args.warmup < 0:
        die("--warmup must be 0 or more", 2)
    if not os.path.isdir(TEMPLATES_DIR):
        die(f"{TEMPLATES_DIR} is missing")

    # SIGTERM behaves like Ctrl-C: stop the child, clean up, leave.
    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)

    bins = build_binaries(args)
    if "hugo" in args.only:
        bins["hugo"] = find_hugo(args.hugo)
    fs_info = fs_dirs(args)
    bin_dir = tempfile.mkdtemp(prefix="anxin-bench-build-bin-")
    built = dict(bins)
    bins, digests = snapshot_binaries(bins, bin_dir)

    versions = {}
    if set(args.only) & {"anxin", "rebuild"}:
        versions["anxin"] = tool_version([bins["anxin"], "--version"]) + f", sha256 {digests['anxin']}"
    if "hugo" in args.only:
        versions["hugo"] = tool_version([bins["hugo"], "version"])
    if "floor" in args.only:
        versions["floor"] = f"sha256 {digests['floor']}"
    log()
    log(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, python {platform.python_version()}")
    for k, v in versions.items():
        log(f"{k}: {v} ({built[k]})")
    for fs, info in fs_info.items():
        log(f"{fs}: {info['dir']} ({info['fstype']}, {free_bytes(os.path.dirname(info['dir'])) / 2**30:.1f} GiB free)")
    log(
        f"sizes {', '.join(size_label(n) for n in args.sizes)}; {args.warmup} warm-up + {args.runs} runs"
        + (f" ({args.runs_100k} at 100k and more)" if args.runs_100k else "")
        + f"; commands {', '.join(LABELS[c] for c in args.only)}; timeout {args.timeout:g} s per run"
    )
    log(f"estimated total time: about {fmt_duration(estimate(args))} (a rough guess; Hugo at 100k may take far longer)")
    b0 = busy_cpu_s()
    time.sleep(2)
    b1 = busy_cpu_s()
    if b0 is not None and b1 is not None:
        busy = (b1 - b0) / (2 * (os.cpu_count() or 1))
        log(f"other processes are using {busy * 100:.0f}% of the machine's CPU now"
            + ("  (busy: the numbers will be noisy)" if busy > 0.1 else ""))

    measurements = []
    interrupted = False
    try:
        for n in args.sizes:
            for fs in args.fs:
                log()
                log(f"== {size_label(n)} pages on {fs} ==")
                os.makedirs(fs_info[fs]["dir"], exist_ok=True)
                measure(n, fs, fs_info[fs], bins, args, measurements)
    except KeyboardInterrupt:
        interrupted = True  # timed_run has stopped the command it was running
        log("interrupted")
    finally:
        shutil.rmtree(bin_dir, ignore_errors=True)
        if not args.keep:
            for info in fs_info.values():
                remove(info["dir"])
            if "disk" in fs_info and not args.disk_dir:
                try:
                    os.rmdir(os.path.dirname(fs_info["disk"]["dir"]))  # target/bench-build, if empty
                except OSError:
                    pass

    print_tables(measurements, fs_info, args)
    if args.keep:
        for m in measurements:
            log(f"kept: {m['kept']}")
    if args.json:
        doc = {
            "versions": versions,
            "binaries": built,
            "seed": SEED,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "fs": fs_info,
            "timeout_s": args.timeout,
            "measurements": measurements,
        }
        for m in doc["measurements"]:
            m["summary"] = {c: summarize(rs) for c, rs in m["results"].items()}
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write("\n")
        log(f"wrote {args.json}")
    if interrupted:
        return 130
    failed = any(m["dead"] for m in measurements)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
