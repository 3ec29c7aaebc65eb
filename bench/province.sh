#!/bin/sh
# Full build time of anxin on a province-scale indicator-data site.
#
#   bench/province.sh [SITE_DIR] [RUNS]
#
# Generates a synthetic site with examples/synth.rs into SITE_DIR (default
# /tmp/anxin-province; replaced if it exists): 50 pages, so that the data
# dominates, and one province of 100 counties of 15 townships (1,601 areas)
# with 40 quarters (2016Q1–2025Q4) of township rows, 60,000 rows in all. Then
# builds it RUNS times (default 3) with `anxin build --root SITE_DIR --output
# SITE_DIR.out`, emptying the output folder before each run, and prints every
# run's wall time and peak RSS (from /usr/bin/time) and the medians.
#
# The binary is target/release/anxin, built with `cargo build --release` first;
# set ANXIN=PATH to time another one instead (then nothing is built).
set -eu

site=${1:-/tmp/anxin-province}
runs=${2:-3}
case $runs in '' | *[!0-9]* | 0) echo "$0: RUNS must be a positive integer" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "$0: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }

cd "$(dirname "$0")/.."
cargo run --release --quiet --example synth -- \
    --pages 50 --province --counties 100 --townships 15 --quarters 40 \
    --out "$site" --force
if [ -z "${ANXIN:-}" ]; then
    cargo build --release --quiet
    ANXIN=$PWD/target/release/anxin
fi

out=$site.out
log=$(mktemp)
trap 'rm -f "$log" "$log.all"' EXIT
i=1
while [ "$i" -le "$runs" ]; do
    rm -rf "$out"
    /usr/bin/time -f '%e %M' -o "$log" "$ANXIN" build --root "$site" --output "$out" >/dev/null
    read -r wall rss <"$log"
    echo "run $i: wall ${wall} s, peak RSS $((rss / 1024)) MiB"
    echo "$wall $rss" >>"$log.all"
    i=$((i + 1))
done
sort -n "$log.all" | awk -v n="$runs" '
    { wall[NR] = $1; rss[NR] = $2 }
    END { printf "median of %d: wall %s s\n", n, wall[int((n + 1) / 2)] }'
sort -n -k2 "$log.all" | awk -v n="$runs" '
    { rss[NR] = $2 }
    END { printf "median of %d: peak RSS %d MiB (max %d MiB)\n", n, rss[int((n + 1) / 2)] / 1024, rss[n] / 1024 }'
