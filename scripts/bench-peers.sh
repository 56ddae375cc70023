#!/usr/bin/env bash
# Times the performance jobs with platypus and with regctl, crane and
# skopeo run the way a person would (tag by tag, entry by entry), against
# the same local registry: `platypus demo serve --bench`, optionally with
# added latency. Needs hyperfine and skopeo (Debian) and network access to
# install regctl and crane from the Go module proxy.
#
#   scripts/bench-peers.sh [LATENCY]      # e.g. 40ms (default) or 0s
set -euo pipefail
cd "$(dirname "$0")/.."
latency=${1:-40ms}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export GOBIN="$work/bin" PATH="$work/bin:$PATH"
go build -o "$work/bin/platypus" ./cmd/platypus
command -v regctl >/dev/null || go install github.com/regclient/regclient/cmd/regctl@v0.11.7
command -v crane >/dev/null || go install github.com/google/go-containerregistry/cmd/crane@v0.22.1
for t in hyperfine skopeo; do command -v $t >/dev/null || { echo "install $t (apt-get install $t)"; exit 1; }; done

# up HOST waits for a registry to answer, up to two minutes (seeding a
# million tags takes a while), and stops the script if it never does.
up() {
  for _ in $(seq 1200); do curl -fs "http://$1/v2/" >/dev/null && return 0; sleep 0.1; done
  echo "no registry on $1" >&2; exit 1
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
host=127.0.0.1:$port
platypus demo serve --bench --latency "$latency" --addr "$host" >/dev/null 2>&1 &
up "$host"

# A second registry to copy into (the demo's own repositories, none of
# bench/), restarted before every run.
dport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dhost=127.0.0.1:$dport
cat > "$work/fresh-dst.sh" <<SH
#!/usr/bin/env bash
if [ -f "$work/dst.pid" ]; then
  pid=\$(cat "$work/dst.pid"); kill \$pid 2>/dev/null
  while kill -0 \$pid 2>/dev/null; do sleep 0.05; done
fi
platypus demo serve --latency "$latency" --addr "$dhost" >/dev/null 2>&1 &
echo \$! > "$work/dst.pid"
for _ in \$(seq 600); do curl -fs "http://$dhost/v2/" >/dev/null && break; sleep 0.05; done
SH
chmod +x "$work/fresh-dst.sh"
export XDG_STATE_HOME=$work/state

export HOST=$host
regctl_() { regctl --host "reg=$HOST,tls=disabled" "$@"; }
export -f regctl_
cat > "$work/expand.sh" <<'SH'
#!/usr/bin/env bash
# Fetch an index, then each entry's manifest and config, one at a time.
set -e
tool=$1 ref=$HOST/bench/wide
case $tool in
regctl)
  for d in $(regctl --host "reg=$HOST,tls=disabled" manifest get "$ref:latest" --format '{{range .Manifests}}{{.Digest}} {{end}}'); do
    regctl --host "reg=$HOST,tls=disabled" manifest get "$ref@$d" >/dev/null
    regctl --host "reg=$HOST,tls=disabled" image config "$ref@$d" >/dev/null
  done ;;
crane)
  for d in $(crane manifest --insecure "$ref:latest" | python3 -c 'import json,sys; print(" ".join(m["digest"] for m in json.load(sys.stdin)["manifests"]))'); do
    crane manifest --insecure "$ref@$d" >/dev/null
    crane config --insecure "$ref@$d" >/dev/null
  done ;;
skopeo)
  for d in $(skopeo inspect --raw --tls-verify=false "docker://$ref:latest" | python3 -c 'import json,sys; print(" ".join(m["digest"] for m in json.load(sys.stdin)["manifests"]))'); do
    skopeo inspect --raw --tls-verify=false "docker://$ref@$d" >/dev/null
    skopeo inspect --config --tls-verify=false "docker://$ref@$d" >/dev/null
  done ;;
esac
SH
cat > "$work/scan.sh" <<'SH'
#!/usr/bin/env bash
# Ask, tag by tag, whether linux/arm64 can pull each of 300 tags.
tool=$1 ref=$HOST/bench/scan
for t in $(crane ls --insecure "$ref"); do
  case $tool in
  regctl) regctl --host "reg=$HOST,tls=disabled" manifest head --platform linux/arm64 "$ref:$t" >/dev/null 2>&1 || true ;;
  crane)  crane digest --insecure --platform linux/arm64 "$ref:$t" >/dev/null 2>&1 || true ;;
  skopeo) skopeo inspect --raw --override-arch arm64 --tls-verify=false "docker://$ref:$t" >/dev/null 2>&1 || true ;;
  esac
done
SH
chmod +x "$work"/*.sh
mkdir -p bench
out=bench/peers-$latency.md
hf() { hyperfine --style basic --warmup 1 --export-markdown "$work/$1.md" "${@:2}" >/dev/null; cat "$work/$1.md" >> "$out"; echo >> "$out"; }
echo "# Peers at $latency added latency ($(date -u +%F))" > "$out"
echo >> "$out"
hf tags --runs 5 \
  -n "platypus tags" "platypus tags $host/bench/tags -o json" \
  -n "regctl tag ls" "regctl --host reg=$host,tls=disabled tag ls $host/bench/tags" \
  -n "crane ls" "crane ls --insecure $host/bench/tags" \
  -n "skopeo list-tags" "skopeo list-tags --tls-verify=false docker://$host/bench/tags"
hf catalog --runs 5 \
  -n "platypus repos" "platypus repos $host -o json" \
  -n "regctl repo ls" "regctl --host reg=$host,tls=disabled repo ls $host" \
  -n "crane catalog" "crane catalog --insecure $host"
hf expand --runs 3 \
  -n "platypus inspect --all" "platypus inspect $host/bench/wide:latest --all -o json" \
  -n "regctl, entry by entry" "$work/expand.sh regctl" \
  -n "crane, entry by entry" "$work/expand.sh crane" \
  -n "skopeo, entry by entry" "$work/expand.sh skopeo"
hf scan --runs 2 \
  -n "platypus scan" "platypus scan $host/bench/scan --platform linux/arm64 -o json" \
  -n "regctl, tag by tag" "$work/scan.sh regctl" \
  -n "crane, tag by tag" "$work/scan.sh crane" \
  -n "skopeo, tag by tag" "$work/scan.sh skopeo"
hf copy --runs 3 --prepare "$work/fresh-dst.sh" \
  -n "platypus copy" "platypus copy $host/bench/wide:latest $dhost/copied/wide:latest --yes -o json" \
  -n "platypus copy --no-referrers" "platypus copy $host/bench/wide:latest $dhost/copied/wide:latest --yes --no-referrers -o json" \
  -n "regctl image copy" "regctl --host reg=$host,tls=disabled --host reg=$dhost,tls=disabled image copy $host/bench/wide:latest $dhost/copied/wide:latest" \
  -n "crane copy" "crane copy --insecure $host/bench/wide:latest $dhost/copied/wide:latest" \
  -n "skopeo copy --all" "skopeo copy --all --src-tls-verify=false --dest-tls-verify=false docker://$host/bench/wide:latest docker://$dhost/copied/wide:latest"
# Every tool ends with the source's digest.
for tool in platypus regctl crane skopeo; do
  "$work/fresh-dst.sh"
  case $tool in  # a failed copy shows as "failed" below
  platypus) platypus copy $host/bench/wide:latest $dhost/copied/wide:latest --yes -o json >/dev/null ;;
  regctl) regctl --host reg=$host,tls=disabled --host reg=$dhost,tls=disabled image copy $host/bench/wide:latest $dhost/copied/wide:latest >/dev/null ;;
  crane) crane copy --insecure $host/bench/wide:latest $dhost/copied/wide:latest 2>/dev/null ;;
  skopeo) skopeo copy -q --all --src-tls-verify=false --dest-tls-verify=false docker://$host/bench/wide:latest docker://$dhost/copied/wide:latest ;;
  esac
  echo "- $tool: source $(crane digest --insecure $host/bench/wide:latest), copy $(crane digest --insecure $dhost/copied/wide:latest || echo failed)" >> "$out"
done
kill "$(cat "$work/dst.pid")" 2>/dev/null || true

# Listing a 100 MB gzip layer (1,000 files of 100 KB of random bytes) through
# the same latency and a 200 Mbit/s link: platypus files against
# `crane blob | tar -tz` and `regctl blob get | tar -tz`, and the peak memory.
lport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
lhost=127.0.0.1:$lport
platypus demo serve --latency "$latency" --bandwidth 200 --addr "$lhost" >/dev/null 2>&1 &
up "$lhost"
python3 - "$work/layer.tar.gz" <<'PY'
import gzip, io, os, sys, tarfile
with gzip.open(sys.argv[1], "wb", compresslevel=1) as gz, tarfile.open(fileobj=gz, mode="w|") as tar:
    for i in range(1000):
        data = os.urandom(100_000)
        info = tarfile.TarInfo(f"data/d{i // 100}/file-{i}")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
PY
crane append --insecure -f "$work/layer.tar.gz" -t "$lhost/bench/big:latest" >/dev/null 2>&1
layer=$(crane manifest --insecure "$lhost/bench/big:latest" | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')
echo "Listing a $(du -m "$work/layer.tar.gz" | cut -f1) MB gzip layer at 200 Mbit/s:" >> "$out"
echo >> "$out"
hf layer --runs 3 \
  -n "platypus files" "platypus files $lhost/bench/big:latest -o json >/dev/null" \
  -n "crane blob | tar -tz" "crane blob --insecure $lhost/bench/big@$layer | tar -tz >/dev/null" \
  -n "regctl blob get | tar -tz" "regctl --host reg=$lhost,tls=disabled blob get $lhost/bench/big $layer | tar -tz >/dev/null"
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "- peak RSS: platypus files $(rss platypus files "$lhost/bench/big:latest" -o json) KB, crane blob $(rss crane blob --insecure "$lhost/bench/big@$layer") KB" >> "$out"

# A layer of two million entries (a 23.8 MB blob of a 2 GB tar): the
# merged listing, its time and its peak memory, against crane | tar -tz.
fport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fhost=127.0.0.1:$fport
platypus demo serve --bench-files 2000000 --latency "$latency" --addr "$fhost" >/dev/null 2>&1 &
fpid=$!
up "$fhost"
flayer=$(crane manifest --insecure "$fhost/bench/files:latest" | python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')
echo "Listing a layer of 2,000,000 entries:" >> "$out"
echo >> "$out"
hf files2m --runs 2 \
  -n "platypus files" "platypus files $fhost/bench/files:latest >/dev/null" \
  -n "platypus files -o json" "platypus files $fhost/bench/files:latest -o json >/dev/null" \
  -n "crane blob | tar -tz" "crane blob --insecure $fhost/bench/files@$flayer | tar -tz >/dev/null"
echo "- peak RSS: platypus files $(rss platypus files "$fhost/bench/files:latest") KB, -o json $(rss platypus files "$fhost/bench/files:latest" -o json) KB" >> "$out"
echo >> "$out"
kill $fpid 2>/dev/null || true

# Lists at scale: 100,000 and 1,000,000 tags, served at once. crane asks
# for pages of 1,000 (n=1000), which the registry answers by going through
# every tag each time: 100 pages at 100,000 tags, and at 1,000,000 a
# thousand pages of a second each, so it is left out there.
for n in 100000 1000000; do
  mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mhost=127.0.0.1:$mport
  platypus demo serve --bench-tags $n --latency "$latency" --addr "$mhost" >/dev/null 2>&1 &
  mpid=$!
  up "$mhost"
  echo "$n tags:" >> "$out"
  echo >> "$out"
  cranecmd=()
  cranerss="left out: a thousand pages"
  if [ $n -le 100000 ]; then
    cranecmd=(-n "crane ls" "crane ls --insecure $mhost/bench/many")
    cranerss="$(rss crane ls --insecure $mhost/bench/many) KB"
  fi
  hf many$n --runs 3 \
    -n "platypus tags" "platypus tags $mhost/bench/many -o json" \
    -n "regctl tag ls" "regctl --host reg=$mhost,tls=disabled tag ls $mhost/bench/many" \
    "${cranecmd[@]}" \
    -n "skopeo list-tags" "skopeo list-tags --tls-verify=false docker://$mhost/bench/many"
  echo "- peak RSS: platypus $(rss platypus tags $mhost/bench/many -o json) KB, regctl $(rss regctl --host reg=$mhost,tls=disabled tag ls $mhost/bench/many) KB, crane $cranerss, skopeo $(rss skopeo list-tags --tls-verify=false docker://$mhost/bench/many) KB" >> "$out"
  echo >> "$out"
  kill $mpid 2>/dev/null || true
done

# Issue 28: `platypus --demo` from exec to its first frame and to its
# repositories on screen, on a pseudo-terminal (medians of 9), and the
# start-up every command pays. No peer has a demo to compare with.
echo "platypus --demo on a terminal, from exec (BenchmarkDemoFirstFrame, medians of 9; load $(cut -d' ' -f1-3 /proc/loadavg)):" >> "$out"
echo >> "$out"
(cd cmd/platypus && go test -run '^$' -bench BenchmarkDemoFirstFrame -benchtime 9x .) | grep '^Benchmark' | sed 's/^/    /' >> "$out"
echo >> "$out"
hf version --runs 50 -N -n "platypus --version" "platypus --version"

# Issue 28's reads: one file after a listing, against crane and regctl;
# the catalog's requests on distribution.
scripts/bench-reads.sh "$work/reads.md" >/dev/null
tail -n +2 "$work/reads.md" >> "$out"
cat "$out"
