#!/usr/bin/env bash
# Re-records model/testdata/indexes: indexes written by the real tools
# (crane, regctl, podman, docker buildx imagetools), each pushed to the demo
# registry served on loopback and read back byte for byte with every child
# manifest and config. Tests only read what this wrote; nothing here runs in
# `go test` or CI. Needs crane and regctl (go install, see
# ../shared/tooling-notes.md), podman (Debian; run as root, vfs storage) and
# buildx (go install github.com/docker/buildx/cmd/buildx@v0.38.2).
# manifest-tool (github.com/estesp/manifest-tool/v2) is not served by the
# Go module proxy here, so it is not recorded.
#
#   scripts/record-indexes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=model/testdata/indexes
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
for t in crane regctl podman buildx jq; do command -v $t >/dev/null || { echo "needs $t" >&2; exit 1; }; done
go build -o "$work/platypus" ./cmd/platypus
# The tools' own settings stay out of the user's home.
export HOME="$work/home" DOCKER_CONFIG="$work/home/.docker"
mkdir -p "$DOCKER_CONFIG" && echo '{}' >"$DOCKER_CONFIG/config.json"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
H=127.0.0.1:$port
"$work/platypus" demo serve --addr "$H" >/dev/null 2>&1 &
for _ in $(seq 100); do curl -fs "http://$H/v2/" >/dev/null && break; sleep 0.1; done

# The sources: two OCI images of an index with buildx-style attestations,
# OCI images for arm/v7, arm/v5 and 386 and Windows Docker v2 images of
# another repository.
digest() { crane digest --platform "$2" "$H/$1"; }
amd=platypus/webapp@$(digest platypus/webapp:1.0 linux/amd64)
arm=platypus/webapp@$(digest platypus/webapp:1.0 linux/arm64)
v7=library/hello-world@$(digest library/hello-world:latest linux/arm/v7)
win=library/hello-world@$(digest library/hello-world:latest windows/amd64:10.0.17763.615)
# Fallbacks listed before the better matches, so ranking decides.
v5=library/hello-world@$(digest library/hello-world:latest linux/arm/v5)
i386=library/hello-world@$(digest library/hello-world:latest linux/386)
win2022=library/hello-world@$(digest library/hello-world:latest windows/amd64:10.0.20348.2582)

# save DIR DIGEST REPO: the manifest at DIGEST, its children and configs.
save() {
  local dir=$1 d=$2 repo=$3 f
  f="$dir/blobs/${d/:/-}.json"
  [ -e "$f" ] && return 0
  crane manifest "$H/$repo@$d" >"$f"
  [ "sha256:$(sha256sum <"$f" | cut -c1-64)" = "$d" ] || { echo "$d: bytes changed" >&2; exit 1; }
  for c in $(jq -r '.manifests[]?.digest' "$f"); do save "$dir" "$c" "$repo"; done
  c=$(jq -r '.config.digest // empty' "$f")
  if [ -n "$c" ] && [ ! -e "$dir/blobs/${c/:/-}.json" ]; then
    crane blob "$H/$repo@$c" >"$dir/blobs/${c/:/-}.json"
  fi
}

# record NAME TOOL-VERSION REF COMMAND…: runs the command, then saves REF.
record() {
  local name=$1 version=$2 ref=$3
  shift 3
  "$@" >/dev/null 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
  local dir=$out/$name root
  rm -rf "$dir"
  mkdir -p "$dir/blobs"
  root=$(crane digest "$H/$ref")
  save "$dir" "$root" "${ref%%:*}"
  jq -n --arg tool "$version" --arg root "$root" --arg setup "${setup:-}" \
    --arg cmd "$(echo "$*" | sed -e "s#$H#REGISTRY#g" -e 's#^rc #regctl #' -e 's#^p #podman #')" \
    '{tool: $tool, command: $cmd, root: $root} + (if $setup == "" then {} else {setup: $setup} end)' >"$dir/recorded.json"
  echo "$name: $root"
}

crane_v="crane $(crane version)"
record crane-append "$crane_v" rec/crane:index \
  crane index append -m "$H/$amd" -m "$H/$arm" -t "$H/rec/crane:index"
record crane-append-mixed "$crane_v" rec/crane:mixed \
  crane index append -m "$H/$v5" -m "$H/$v7" -m "$H/$i386" -m "$H/$amd" -m "$H/$arm" -m "$H/$win" -m "$H/$win2022" -t "$H/rec/crane:mixed"
record crane-append-docker "$crane_v" rec/crane:docker \
  crane index append --docker-empty-base -m "$H/$amd" -m "$H/$arm" -t "$H/rec/crane:docker"

regctl_v="regctl $(regctl version --format '{{.VCSTag}}')"
rc() { regctl --host "reg=$H,tls=disabled" "$@"; }
record regctl-create "$regctl_v" rec/regctl:index \
  rc index create "$H/rec/regctl:index" --ref "$H/$amd" --ref "$H/$arm" --ref "$H/$v7" --ref "$H/$win"
record regctl-create-nested "$regctl_v" rec/regctl:nested \
  rc index create "$H/rec/regctl:nested" --ref "$H/platypus/webapp:1.0"
record regctl-create-platforms "$regctl_v" rec/regctl:platforms \
  rc index create "$H/rec/regctl:platforms" --ref "$H/platypus/webapp:1.0" --platform linux/amd64 --platform linux/arm64

p() { podman --root "$work/podman" --runroot "$work/podman-run" --storage-driver vfs "$@"; }
podman_v=$(podman --version)
p manifest create rec-podman >/dev/null
setup="podman manifest create rec-podman"
for s in "$amd" "$arm" "$v7" "$win"; do
  p manifest add --tls-verify=false rec-podman "docker://$H/$s" >/dev/null
  setup="$setup; podman manifest add --tls-verify=false rec-podman docker://REGISTRY/$s"
done
p manifest annotate --annotation org.example.note=arm64 rec-podman "${arm#*@}" >/dev/null
setup="$setup; podman manifest annotate --annotation org.example.note=arm64 rec-podman ${arm#*@}"
record podman-push "$podman_v" rec/podman:index \
  p manifest push --all --tls-verify=false rec-podman "docker://$H/rec/podman:index"
record podman-push-v2s2 "$podman_v" rec/podman:v2s2 \
  p manifest push --all --format v2s2 --tls-verify=false rec-podman "docker://$H/rec/podman:v2s2"

setup=""
# go install leaves buildx's own version unstamped: the module says it.
buildx_v="buildx $(go version -m "$(command -v buildx)" | awk '$1 == "mod" {print $3}')"
record buildx-imagetools "$buildx_v" rec/buildx:index \
  buildx imagetools create -t "$H/rec/buildx:index" "$H/platypus/webapp:1.0" "$H/$win"
