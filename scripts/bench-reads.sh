#!/usr/bin/env bash
# Issue 28's reads, against the peers: one small file of the demo's
# 2,000,000-entry layer (--bench-files, a 23.8 MB gzip blob) behind 40 ms
# and 200 Mbit/s, after one listing, by platypus cat (--disk-cache),
# `crane blob | tar -xzO PATH` and `regctl image get-file`; and the
# requests each tool sends for distribution's catalog of 1,505
# repositories. Each peer is checked to give the same bytes or names;
# times are medians of 5 hyperfine runs, with the machine's load before
# and after (a shared machine is noisy: the load says how much).
#
#   scripts/bench-reads.sh [OUT.md]      # default bench/reads-DATE.md
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/reads-$(date -u +%F).md}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
# The tools' caches and state go to the work directory; Go's stay.
export GOMODCACHE GOCACHE
GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE)
export HOME=$work/home XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config
mkdir -p "$HOME"
go build -o "$work/bin/platypus" ./cmd/platypus
export GOBIN="$work/bin" PATH="$work/bin:$PATH"
command -v regctl >/dev/null || go install github.com/regclient/regclient/cmd/regctl@v0.11.7
command -v crane >/dev/null || go install github.com/google/go-containerregistry/cmd/crane@v0.22.1
for t in hyperfine docker-registry python3; do command -v $t >/dev/null || { echo "install $t"; exit 1; }; done

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up() {
  for _ in $(seq 1800); do curl -fs "http://$1/v2/" >/dev/null && return 0; sleep 0.1; done
  echo "no registry on $1" >&2; exit 1
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
# hf NAME ARGS… runs hyperfine and writes a table of medians.
hf() {
  local name=$1; shift
  local before; before=$(load)
  hyperfine --style basic --warmup 1 --runs 5 --export-json "$work/$name.json" "$@" >/dev/null
  echo "| command | median | min | max |" >> "$out"
  echo "|---|---|---|---|" >> "$out"
  python3 - "$work/$name.json" >> "$out" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    name = r["command"].replace("|", "\\|")
    print(f"| {name} | {r['median']:.2f} s | {r['min']:.2f} s | {r['max']:.2f} s |")
PY
  echo >> "$out"
  echo "- load average (1, 5, 15 min) before: $before; after: $(load); $(nproc) cores" >> "$out"
  echo >> "$out"
}

echo "# Reads against the peers ($(date -u +%F))" > "$out"
echo >> "$out"

# One file after a listing: of the 2,000,000-entry layer, and of one of
# 8,000 entries (about a Debian image's).
for entries in 2000000 8000; do
fhost=127.0.0.1:$(freeport)
platypus demo serve --bench-files $entries --latency 40ms --bandwidth 200 --addr "$fhost" >/dev/null 2>&1 &
fpid=$!
up "$fhost"
ref=$fhost/bench/files:latest
layer=$(crane manifest --insecure "$ref" | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')
size=$(crane manifest --insecure "$ref" | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["size"])')
i=$((entries / 2 + 123))
path=usr/share/bench/dir$((i / 1000))/file-with-a-longish-name-$i
start=$(date +%s.%N)
platypus --disk-cache files "$ref" --platform linux/amd64 -o json >/dev/null
listed=$(python3 -c "import time; print(f'{time.time()-$start:.1f}')")
a=$(platypus --disk-cache cat "$ref" "/$path" --platform linux/amd64 | sha256sum)
b=$(crane blob --insecure "$fhost/bench/files@$layer" | tar -xzO "$path" | sha256sum)
c=$(regctl --host "reg=$fhost,tls=disabled" image get-file "$ref" "$path" | sha256sum)
[ "$a" = "$b" ] && [ "$b" = "$c" ] || { echo "the peers disagree: $a / $b / $c" >&2; exit 1; }
platypus --disk-cache --debug cat "$ref" "/$path" --platform linux/amd64 2>"$work/debug.log" >/dev/null
requests=$(grep -c 'msg=request' "$work/debug.log")
bytes=$(grep 'msg=request' "$work/debug.log" | sed -n 's/.* bytes=\([0-9]*\).*/\1/p' | paste -sd+ | bc)
how=$(grep -o 'msg="read [^"]*"' "$work/debug.log")
echo "One small file (/$path) of a --bench-files $entries layer ($size bytes), 40 ms and" >> "$out"
echo "200 Mbit/s, after one \`platypus --disk-cache files\` ($listed s). All three give the same bytes." >> "$out"
echo "platypus cat: $requests requests, $bytes bytes of them read, $how." >> "$out"
echo >> "$out"
hf "fileread$entries" \
  -n "platypus --disk-cache cat" "platypus --disk-cache cat $ref /$path --platform linux/amd64" \
  -n "platypus cat (no disk cache: lists the layer, then one range)" "platypus cat $ref /$path --platform linux/amd64" \
  -n "crane blob | tar -xzO PATH" "crane blob --insecure $fhost/bench/files@$layer | tar -xzO $path" \
  -n "regctl image get-file" "regctl --host reg=$fhost,tls=disabled image get-file $ref $path"
kill $fpid 2>/dev/null || true
done

# The catalog's requests: distribution (Debian's docker-registry) with
# 1,505 repositories. A repository is a directory holding _layers to its
# catalog (registry/storage/catalog.go), so they are made directly.
dport=$(freeport)
mkdir -p "$work/dist"
for i in $(seq 0 1504); do
  mkdir -p "$work/dist/data/docker/registry/v2/repositories/team$(printf %02d $((i % 7)))/app$(printf %04d "$i")/_layers"
done
cat > "$work/dist/config.yml" <<YML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $work/dist/data
http:
  addr: 127.0.0.1:$dport
YML
docker-registry serve "$work/dist/config.yml" >"$work/dist/access.log" 2>&1 &
dhost=127.0.0.1:$dport
up "$dhost"
(cd "$work/dist/data/docker/registry/v2/repositories" && ls -d */* | sort) > "$work/want.txt"
catalog() { { grep -o '"GET /v2/_catalog[^"]*"' "$work/dist/access.log" || true; } | wc -l; }
echo "The catalog of distribution 2.8 (Debian's docker-registry) with 1,505 repositories:" >> "$out"
echo >> "$out"
echo "| tool | catalog requests | names | the same names |" >> "$out"
echo "|---|---|---|---|" >> "$out"
for tool in "platypus repos" "regctl repo ls" "crane catalog"; do
  n0=$(catalog)
  case $tool in
  platypus*) platypus repos "$dhost" -o json | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["repositories"]))' ;;
  regctl*) regctl --host "reg=$dhost,tls=disabled" repo ls "$dhost" ;;
  crane*) crane catalog --insecure "$dhost" ;;
  esac | sort > "$work/got.txt"
  same=no
  cmp -s "$work/got.txt" "$work/want.txt" && same=yes
  echo "| $tool | $(( $(catalog) - n0 )) | $(wc -l < "$work/got.txt") | $same |" >> "$out"
done
echo >> "$out"
hf catalog \
  -n "platypus repos" "platypus repos $dhost -o json" \
  -n "regctl repo ls" "regctl --host reg=$dhost,tls=disabled repo ls $dhost" \
  -n "crane catalog" "crane catalog --insecure $dhost"
cat "$out"
