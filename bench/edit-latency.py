#!/usr/bin/env python3
"""Edit-to-served latency of a preview server, and the full build time of the same site.

    python3 bench/edit-latency.py --server anxin --site /tmp/s10k
    python3 bench/edit-latency.py --server hugo  --site /tmp/s10k

--site is a site made by examples/synth.rs (site.toml + content/). For --server hugo,
bench/prepare-hugo.sh turns it into a Hugo site whose contentDir is the same
content/ folder, so both servers see exactly the same markdown and the same edit.

What it does:
 1. starts the server (anxin serve, or hugo server, which renders to memory) on a
    free loopback port, and waits until the page is served;
 2. --warmup edits (not counted), then --edits times: writes the page's markdown
    file again as the original text plus one new line "edit-marker-<n>-<random>"
    (one write, then close, like an editor saving in place; --save rename writes a
    temporary file and renames it over the page, like editors that save by rename),
    then polls the page's URL over one keep-alive HTTP connection (--connection
    fresh: a new connection per request) every --interval-ms until the served
    HTML contains the marker; the latency is the
    time from just before the write to the end of the first response that
    contains the marker; between edits it waits --settle-ms;
 3. stops the server, puts the page back as it was;
 4. runs the full build of the same site --builds times (anxin build --output …,
    hugo --destination …), each into an emptied folder, timed with
    time.perf_counter and, where /usr/bin/time exists, its CPU time and peak RSS.

Prints median, p90 and worst latency (plus min and mean), the server's start
time, its peak RSS, and the build times. --json FILE also writes them as JSON.
Standard library only.
"""

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

from hugo_install import find_or_install_hugo

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)


def die(msg, code=1):
    print(f"edit-latency: error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------------------
# Setup helpers
# ---------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_page(content_dir):
    """The middle page (by sorted path) of all pages that are not _index.md."""
    pages = []
    for root, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if f.endswith(".md") and f != "_index.md" and not f.startswith("."):
                pages.append(os.path.relpath(os.path.join(root, f), content_dir))
    if not pages:
        die(f"no pages in {content_dir}")
    pages.sort()
    return pages[len(pages) // 2]


def url_path_of(rel):
    """content-relative markdown path -> URL path (sec-03/page-00042.md -> /sec-03/page-00042/)."""
    rel = rel.replace(os.sep, "/")
    if rel.endswith("/_index.md") or rel == "_index.md":
        stem = rel[: -len("_index.md")]
    elif rel.endswith("/index.md") or rel == "index.md":
        stem = rel[: -len("index.md")]
    else:
        stem = rel[: -len(".md")] + "/"
    stem = stem.strip("/")
    path = "/" + (stem + "/" if stem else "")
    return urllib.parse.quote(path.lower(), safe="/")


def find_anxin(arg):
    if arg:
        return arg
    cand = os.path.join(REPO_DIR, "target", "release", "anxin")
    if os.path.exists(cand):
        return cand
    found = shutil.which("anxin")
    if found:
        return found
    die(f"{cand} not found; run `cargo build --release` at {REPO_DIR} first (or pass --anxin PATH)")


def find_hugo(arg):
    return find_or_install_hugo(arg, log) or die(
        "hugo is not installed; install it with `apt-get update && apt-get install -y hugo` (as root)")


def tool_version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001
        return f"unknown ({e})"


def percentile(sorted_xs, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_xs:
        return float("nan")
    k = max(1, math.ceil(p / 100.0 * len(sorted_xs)))
    return sorted_xs[k - 1]


def proc_status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def tail(path, n=30):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-n:])
    except OSError:
        return ""


# ---------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------


class Server:
    def __init__(self, argv, log_path, cwd=None):
        self.argv = argv
        self.log_path = log_path
        self.logf = open(log_path, "wb")
        # Own process group, so that Ctrl-C is handled here and the whole server
        # (with any children) is stopped by stop().
        self.proc = subprocess.Popen(
            argv,
            stdout=self.logf,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
        )

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        self.logf.close()


class Poller:
    """GET one URL over a keep-alive connection, reconnecting when needed."""

    def __init__(self, host, port, path, keepalive=True):
        self.host, self.port, self.path = host, port, path
        self.keepalive = keepalive
        self.conn = None
        self.requests = 0
        self.errors = 0
        self.request_time = 0.0  # seconds spent in successful requests

    def get(self):
        """(status, body) or (None, b'') when the server could not be reached."""
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
            try:
                t0 = time.perf_counter()
                headers = {"Cache-Control": "no-cache"}
                if not self.keepalive:
                    headers["Connection"] = "close"
                self.conn.request("GET", self.path, headers=headers)
                resp = self.conn.getresponse()
                body = resp.read()
                self.request_time += time.perf_counter() - t0
                self.requests += 1
                if resp.will_close or not self.keepalive:
                    self.close()
                return resp.status, body
            except (OSError, http.client.HTTPException):
                self.errors += 1
                self.close()
        return None, b""

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None


def wait_ready(server, poller, timeout, port_re):
    """Waits until the page answers 200; follows a port change announced in the log."""
    t0 = time.perf_counter()
    while True:
        if not server.alive():
            die(
                f"the server exited with status {server.proc.returncode} before serving "
                f"the page; its output ({server.log_path}):\n{tail(server.log_path)}"
            )
        status, _ = poller.get()
        if status == 200:
            return time.perf_counter() - t0
        if port_re is not None:
            m = None
            for m in port_re.finditer(tail(server.log_path, 200)):
                pass
            if m and int(m.group(1)) != poller.port:
                log(f"  the server says it listens on port {m.group(1)}; following it")
                poller.close()
                poller.port = int(m.group(1))
        if time.perf_counter() - t0 > timeout:
            die(
                f"the page http://127.0.0.1:{poller.port}{poller.path} was not served within "
                f"{timeout:.0f} s (last status {status}); server output ({server.log_path}):\n"
                f"{tail(server.log_path)}"
            )
        time.sleep(0.05)


def save(path, data, mode):
    if mode == "inplace":
        # One write, then close, like an editor saving in place.
        with open(path, "wb") as f:
            f.write(data)
    else:
        d, name = os.path.split(path)
        tmp = os.path.join(d, f".{name}.bench-tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)


def measure_edits(server, poller, page_path, original, args):
    total = args.warmup + args.edits
    results, warmups = [], []
    for n in range(total):
        marker = f"edit-marker-{n}-{random.randrange(1 << 32):08x}"
        mb = marker.encode()
        data = original.rstrip(b"\n") + b"\n\n" + mb + b"\n"
        polls_before, rtime_before = poller.requests, poller.request_time
        t0 = time.perf_counter()
        save(page_path, data, args.save)
        deadline = t0 + args.timeout
        latency = None
        while True:
            status, body = poller.get()
            now = time.perf_counter()
            if status == 200 and mb in body:
                latency = now - t0
                break
            if now > deadline:
                break
            if not server.alive():
                die(f"the server exited during the edits; its output:\n{tail(server.log_path)}")
            time.sleep(args.interval_ms / 1000.0)
        polls = poller.requests - polls_before
        req_ms = (poller.request_time - rtime_before) * 1000 / max(polls, 1)
        warm = n < args.warmup
        label = "warm-up" if warm else f"edit {n - args.warmup + 1:2d}/{args.edits}"
        if latency is None:
            log(f"  {label}: marker not served within {args.timeout:.0f} s ({polls} requests of {req_ms:.1f} ms)")
        else:
            log(f"  {label}: {latency * 1000:8.1f} ms  ({polls} requests of {req_ms:.1f} ms)")
        (warmups if warm else results).append(latency)
        time.sleep(args.settle_ms / 1000.0)
    return results, warmups


# ---------------------------------------------------------------------------
# Full builds
# ---------------------------------------------------------------------------


def parse_time_v(path):
    """(peak RSS KiB, user s, system s) from GNU time -v output; None where missing."""
    found = {}
    pats = {
        "rss": r"Maximum resident set size \(kbytes\):\s*(\d+)",
        "user": r"User time \(seconds\):\s*([\d.]+)",
        "sys": r"System time \(seconds\):\s*([\d.]+)",
    }
    try:
        with open(path) as f:
            for line in f:
                for k, pat in pats.items():
                    m = re.search(pat, line)
                    if m:
                        found[k] = float(m.group(1))
    except OSError:
        pass
    rss = int(found["rss"]) if "rss" in found else None
    return rss, found.get("user"), found.get("sys")


def tree_size(root):
    files = size = 0
    for r, _, fs in os.walk(root):
        for f in fs:
            files += 1
            try:
                size += os.path.getsize(os.path.join(r, f))
            except OSError:
                pass
    return files, size


def run_builds(make_cmd, out_dir, runs):
    """Runs the build `runs` times into an emptied out_dir; returns a dict of results."""
    gnu_time = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
    walls, rsss, cpus = [], [], []
    for i in range(runs):
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(os.path.dirname(out_dir), exist_ok=True)
        cmd = make_cmd(out_dir)
        with tempfile.NamedTemporaryFile(prefix="bench-time-", suffix=".txt", delete=False) as tf:
            time_file = tf.name
        argv = ([gnu_time, "-v", "-o", time_file] if gnu_time else []) + cmd
        t0 = time.perf_counter()
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - t0
        rss, user, system = parse_time_v(time_file) if gnu_time else (None, None, None)
        os.unlink(time_file)
        if p.returncode != 0:
            out = p.stdout.decode("utf-8", "replace")
            die(f"build failed (status {p.returncode}): {' '.join(cmd)}\n{out[-4000:]}")
        walls.append(wall)
        if rss is not None:
            rsss.append(rss)
        if user is not None and system is not None:
            cpus.append(user + system)
        log(
            f"  build {i + 1}/{runs}: {wall:7.2f} s"
            + (f" (CPU: user {user:.2f} s, system {system:.2f} s)" if user is not None else "")
            + (f", peak RSS {rss / 1024:.0f} MiB" if rss is not None else "")
        )
    files, size = tree_size(out_dir)
    return {
        "command": " ".join(make_cmd(out_dir)),
        "runs": runs,
        "wall_s": walls,
        "wall_median_s": statistics.median(walls),
        "wall_min_s": min(walls),
        "peak_rss_kib": max(rsss) if rsss else None,
        "cpu_s": cpus,
        "output_files": files,
        "output_bytes": size,
    }


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(
        description="Edit-to-served latency of `anxin serve` or `hugo server`, and full build time.",
    )
    ap.add_argument("--server", choices=["anxin", "hugo"], required=True)
    ap.add_argument("--site", required=True, help="a site made by examples/synth.rs (site.toml + content/)")
    ap.add_argument("--page", help="the page to edit, relative to content/ (default: the middle page)")
    ap.add_argument("--edits", type=int, default=20, help="measured edits (default %(default)s)")
    ap.add_argument("--warmup", type=int, default=1, help="edits made first and not counted (default %(default)s)")
    ap.add_argument("--port", type=int, default=0, help="port for the server (default: a free one)")
    ap.add_argument("--interval-ms", type=float, default=2.0, help="pause between polls (default %(default)s)")
    ap.add_argument("--settle-ms", type=float, default=300.0, help="pause after each edit is served (default %(default)s)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one edit to be served (default %(default)s)")
    ap.add_argument("--start-timeout", type=float, default=900.0, help="seconds to wait for the server's first build (default %(default)s)")
    ap.add_argument(
        "--connection",
        choices=["keepalive", "fresh"],
        default="keepalive",
        help="poll over one keep-alive connection, or a new connection per request (default %(default)s)",
    )
    ap.add_argument("--save", choices=["inplace", "rename"], default="inplace", help="how the edit is saved (default %(default)s)")
    ap.add_argument("--builds", type=int, default=3, help="full builds to time afterwards, 0 for none (default %(default)s)")
    ap.add_argument(
        "--build-out",
        help="folder for the full builds' output (default: a temporary folder under $TMPDIR;"
        " a tmpfs such as /dev/shm takes the disk out of the numbers)",
    )
    ap.add_argument("--anxin", help="the anxin binary (default: target/release/anxin)")
    ap.add_argument("--hugo", help="the hugo binary (default: hugo on PATH; installed with apt-get when missing and root)")
    ap.add_argument("--hugo-dir", help="where to prepare the Hugo site (default: a temporary folder)")
    ap.add_argument(
        "--hugo-fast-render",
        action="store_true",
        help="leave Hugo's fast render mode on (default: --disableFastRender, a full re-render per change)",
    )
    ap.add_argument("--server-cmd", help="override the server command; {port} and {site} are replaced")
    ap.add_argument("--json", help="also write the results to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the server log and build output")
    args = ap.parse_args()
    if args.edits < 1:
        die("--edits must be at least 1", 2)

    site = os.path.abspath(args.site)
    content = os.path.join(site, "content")
    if not os.path.isdir(content):
        die(
            f"{content} is not a folder; make a site with `cargo run --release --example synth -- "
            f"--pages 10000 --out {args.site}`",
            2,
        )
    rel = args.page or default_page(content)
    if rel.startswith("content/"):
        rel = rel[len("content/"):]
    page_path = os.path.join(content, rel)
    if not os.path.isfile(page_path):
        die(f"{page_path} is not a file", 2)
    url_path = url_path_of(rel)
    port = args.port or free_port()

    work = tempfile.mkdtemp(prefix=f"edit-latency-{args.server}-")
    log_path = os.path.join(work, "server.log")
    if args.build_out:
        build_out = os.path.join(os.path.abspath(args.build_out), f"edit-latency-{os.getpid()}", "public")
    else:
        build_out = os.path.join(work, "build", "public")

    port_re = None
    if args.server == "anxin":
        binary = find_anxin(args.anxin)
        version = tool_version([binary, "--version"])
        if not args.server_cmd:
            probe = subprocess.run([binary, "serve", "--help"], capture_output=True)
            if probe.returncode != 0:
                die(f"`{binary} serve --help` failed: this anxin has no serve command yet")
        argv = [binary, "serve", "--root", site, "--port", str(port), "--bind", "127.0.0.1"]
        port_re = re.compile(r"https?://(?:127\.0\.0\.1|localhost):(\d+)")

        def build_cmd(out):
            return [binary, "build", "--root", site, "--output", out]

        cwd = site
    else:
        binary = find_hugo(args.hugo)
        version = tool_version([binary, "version"])
        hugo_dir = os.path.abspath(args.hugo_dir) if args.hugo_dir else os.path.join(work, "hugo-site")
        subprocess.run(["sh", os.path.join(BENCH_DIR, "prepare-hugo.sh"), site, hugo_dir], check=True)
        # hugo server renders into memory by default (no --renderToDisk).
        argv = [binary, "server", "--source", hugo_dir, "--port", str(port), "--bind", "127.0.0.1"]
        if not args.hugo_fast_render:
            argv.append("--disableFastRender")

        def build_cmd(out):
            return [binary, "--source", hugo_dir, "--destination", out, "--quiet"]

        cwd = hugo_dir
    if args.server_cmd:
        argv = ["sh", "-c", args.server_cmd.format(port=port, site=site)]

    with open(page_path, "rb") as f:
        original = f.read()

    # SIGTERM behaves like Ctrl-C: clean up and leave.
    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored

    result = {
        "server": args.server,
        "version": version,
        "site": site,
        "page": rel,
        "url": None,
        "server_command": " ".join(argv),
        "save": args.save,
        "connection": args.connection,
        "interval_ms": args.interval_ms,
        "settle_ms": args.settle_ms,
        "warmup": args.warmup,
    }
    log(f"{version}")
    log(f"site {site}, page content/{rel} -> {url_path}")
    log(f"starting: {' '.join(argv)}")
    server = None
    latencies = []
    try:
        server = Server(argv, log_path, cwd=cwd)
        poller = Poller("127.0.0.1", port, url_path, keepalive=args.connection == "keepalive")
        startup = wait_ready(server, poller, args.start_timeout, port_re)
        result["url"] = f"http://127.0.0.1:{poller.port}{url_path}"
        result["startup_s"] = startup
        log(f"page served {startup:.2f} s after start ({result['url']})")
        poller.requests = poller.errors = 0  # count the edit phase only
        poller.request_time = 0.0
        latencies, warmups = measure_edits(server, poller, page_path, original, args)
        result["warmup_ms"] = [None if x is None else round(x * 1000, 3) for x in warmups]
        result["server_peak_rss_kib"] = proc_status_kib(server.proc.pid, "VmHWM")
        result["http_requests"] = poller.requests
        result["http_request_mean_ms"] = poller.request_time * 1000 / max(poller.requests, 1)
        result["http_errors"] = poller.errors
        poller.close()
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted")
    else:
        interrupted = False
    finally:
        if server is not None:
            server.stop()
        with open(page_path, "wb") as f:
            f.write(original)
        if args.keep:
            log(f"server log: {log_path}")
    if interrupted:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return 130

    ok = sorted(x for x in latencies if x is not None)
    failed = sum(1 for x in latencies if x is None)
    result["latencies_ms"] = [None if x is None else round(x * 1000, 3) for x in latencies]
    result["failed_edits"] = failed
    if args.server == "hugo":
        # hugo reports its first build ("Built in N ms") and each rebuild ("Total in N ms").
        text = tail(log_path, 100000)
        initial = re.findall(r"Built in (\d+) ms", text)
        rebuilds = [int(x) for x in re.findall(r"Total in (\d+) ms", text)]
        if len(rebuilds) == args.warmup + len(latencies):
            rebuilds = rebuilds[args.warmup:]  # one rebuild per edit: leave out the warm-up
        result["hugo_reported_ms"] = {
            "initial": int(initial[0]) if initial else None,
            "rebuilds": rebuilds,
        }

    print()
    log(f"== {args.server}: edit of content/{rel} until served ({len(ok)} of {len(latencies)} edits served) ==")
    if ok:
        med, p90, worst = statistics.median(ok), percentile(ok, 90), ok[-1]
        result.update(
            median_ms=med * 1000,
            p90_ms=p90 * 1000,
            worst_ms=worst * 1000,
            min_ms=ok[0] * 1000,
            mean_ms=statistics.mean(ok) * 1000,
        )
        log(
            f"median {med * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, worst {worst * 1000:.1f} ms "
            f"(min {ok[0] * 1000:.1f}, mean {statistics.mean(ok) * 1000:.1f})"
        )
    if failed:
        log(f"{failed} edit(s) were not served within {args.timeout:.0f} s")
    if any(x is None for x in result.get("warmup_ms", [])):
        log(
            "note: the warm-up edit, made as soon as the page was first served, was never served:"
            " the server missed a change made right after it started"
        )
    log(f"server start to page served: {result['startup_s']:.2f} s")
    if "http_request_mean_ms" in result:
        log(
            f"polling: {result['http_requests']} requests ({args.connection}), "
            f"{result['http_request_mean_ms']:.1f} ms each on average, {result['http_errors']} errors"
        )
        if args.connection == "keepalive" and result["http_request_mean_ms"] > 20:
            log(
                "  note: requests on a reused connection are slow (Nagle's algorithm against delayed ACKs,"
                " a server without TCP_NODELAY?); latencies are only as fine as one request."
                " --connection fresh avoids it"
            )
    if result.get("server_peak_rss_kib"):
        log(f"server peak RSS: {result['server_peak_rss_kib'] / 1024:.0f} MiB")
    if "hugo_reported_ms" in result:
        rep = result["hugo_reported_ms"]
        if rep["initial"] is not None:
            log(f"hugo's own time for its first build: {rep['initial']} ms")
        rb = rep["rebuilds"]
        if rb:
            log(f"hugo's own rebuild times: median {statistics.median(rb):.0f} ms, max {max(rb)} ms ({len(rb)} rebuilds)")

    if args.builds > 0:
        print()
        log(f"== {args.server}: full build, {args.builds} run(s) ==")
        log(f"into {build_out}")
        b = run_builds(build_cmd, build_out, args.builds)
        result["build"] = b
        log(
            f"full build: median {b['wall_median_s']:.2f} s (min {b['wall_min_s']:.2f} s)"
            + (f", CPU median {statistics.median(b['cpu_s']):.2f} s" if b["cpu_s"] else "")
            + (f", peak RSS {b['peak_rss_kib'] / 1024:.0f} MiB" if b["peak_rss_kib"] else "")
            + f"; {b['output_files']} files, {b['output_bytes'] / 1048576:.1f} MiB written"
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
        if args.build_out:
            shutil.rmtree(os.path.dirname(build_out), ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2, ensure_ascii=False)
            f.write("\n")
    return 0 if ok and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
