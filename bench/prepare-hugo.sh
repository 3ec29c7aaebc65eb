#!/bin/sh
# Make a Hugo site from an anxin synthetic site (examples/synth.rs), for benchmarking.
#
#   bench/prepare-hugo.sh SYNTH_SITE OUT_DIR [--copy]
#
# OUT_DIR gets hugo.toml and layouts/ from bench/hugo/, the default theme's
# style.css, and a contentDir that points at SYNTH_SITE/content (absolute path, so
# an edit of SYNTH_SITE/content/... is seen by hugo server and by anxin alike).
# With --copy, SYNTH_SITE/content is copied into OUT_DIR/content instead.
#
# Hugo itself is not installed by this script; bench/edit-latency.py installs
# Debian's package when it runs as root, or run: apt-get update && apt-get install -y hugo
set -eu

usage() { echo "usage: $0 SYNTH_SITE OUT_DIR [--copy]" >&2; exit 2; }
[ $# -ge 2 ] || usage
site=$1; out=$2; copy=${3:-}
[ -z "$copy" ] || [ "$copy" = "--copy" ] || usage
[ -d "$site/content" ] || { echo "$0: $site/content is not a folder (make one with: cargo run --release --example synth -- --pages N --out $site)" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
site=$(cd "$site" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
case "$out/" in "$site/content/"*) echo "$0: OUT_DIR must not be inside $site/content" >&2; exit 2;; esac

rm -rf "$out/layouts" "$out/static" "$out/content" "$out/public" "$out/resources"
cp -R "$here/hugo/layouts" "$here/hugo/static" "$out/"
if [ -f "$here/../themes/default/static/style.css" ]; then
    cp "$here/../themes/default/static/style.css" "$out/static/style.css"
fi

if [ "$copy" = "--copy" ]; then
    cp -R "$site/content" "$out/content"
    content_dir=content
else
    content_dir=$site/content
fi

sed "s|^contentDir = .*|contentDir = \"$content_dir\"|" "$here/hugo/hugo.toml" > "$out/hugo.toml"

if command -v hugo >/dev/null 2>&1; then
    echo "prepared $out (content: $content_dir); $(hugo version)"
else
    echo "prepared $out (content: $content_dir); note: hugo is not installed (apt-get install -y hugo)"
fi
