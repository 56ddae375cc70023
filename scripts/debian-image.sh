#!/usr/bin/env bash
# Builds the Debian images the fidelity test (cmd/platypus/debian_test.go)
# reads, from Debian's packages, with the tools that make real images:
# an OCI layout OUT with tags amd64-1..3 and arm64-1..3 (each prefix of
# the image's three layers, so umoci can unpack every step) and "debian",
# the index of amd64-3 and arm64-3 (made by regctl).
#
#   layer 0  mmdebstrap: amd64 --variant=minbase (merged /usr); arm64
#            --variant=extract of the same packages (no scripts run, so
#            not merged /usr)
#   layer 1  amd64: a real apt-get install ca-certificates and purge of
#            usrmerge, in a chroot; arm64: the same package set extracted;
#            both diffed into a layer (whiteouts included) by umoci repack
#   layer 2  edge cases, archived by GNU tar: a whiteout of a file and of a
#            directory, an opaque directory with entries before and after
#            its marker, type changes, hard links (one whose target from
#            below is replaced), symbolic links through merged /usr, a
#            link loop, long (GNU) and UTF-8 names, an implicit parent
#
# Needs root (chroot, device nodes), mmdebstrap, umoci, regctl and a Debian
# mirror. SUITE (default bookworm) picks the release. About five minutes
# (measured on a loaded 2-core machine, most of it downloads).
set -euo pipefail
out=${1:?usage: scripts/debian-image.sh OUT-DIR}
suite=${SUITE:-bookworm}
[ "$(id -u)" -eq 0 ] || { echo "debian-image.sh: needs root (chroot, device nodes)" >&2; exit 1; }
for tool in mmdebstrap umoci regctl tar; do
  command -v $tool >/dev/null || { echo "debian-image.sh: $tool not found" >&2; exit 1; }
done
[ ! -e "$out" ] || { echo "debian-image.sh: $out exists" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date +%s)}

packages() { # the packages installed in rootfs $1, comma-separated
  chroot "$1" dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" {print $2}' | paste -sd, -
}
in_chroot() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"
}

umoci init --layout "$out"

# amd64, layer 0.
mmdebstrap --quiet --variant=minbase --architectures=amd64 "$suite" "$work/amd64-0.tar"
umoci new --image "$out:amd64-0"
umoci config --image "$out:amd64-0" --os linux --architecture amd64 --no-history
umoci raw add-layer --image "$out:amd64-0" --tag amd64-1 \
  --history.created_by "mmdebstrap --variant=minbase --architectures=amd64 $suite" "$work/amd64-0.tar"

# amd64, layer 1: what a Dockerfile's RUN apt-get line does.
umoci unpack --image "$out:amd64-1" "$work/amd64"
root=$work/amd64/rootfs
base_packages=$(packages "$root")
in_chroot apt-get update -qq
in_chroot apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null
in_chroot apt-get purge -y -qq usrmerge libfile-find-rule-perl libnumber-compare-perl libtext-glob-perl >/dev/null
in_chroot apt-get clean
rm -rf "$root"/var/lib/apt/lists/*
final_packages=$(packages "$root")
umoci repack --image "$out:amd64-2" \
  --history.created_by "apt-get install ca-certificates && apt-get purge usrmerge && rm -rf /var/lib/apt/lists/*" "$work/amd64"

# arm64, layers 0 and 1: the same packages, extracted (no emulation).
mmdebstrap --quiet --variant=extract --architectures=arm64 --include="$base_packages" "$suite" "$work/arm64-0.tar"
umoci new --image "$out:arm64-0"
umoci config --image "$out:arm64-0" --os linux --architecture arm64 --no-history
umoci raw add-layer --image "$out:arm64-0" --tag arm64-1 \
  --history.created_by "mmdebstrap --variant=extract --architectures=arm64 $suite" "$work/arm64-0.tar"
mmdebstrap --quiet --variant=extract --architectures=arm64 --include="$final_packages" "$suite" "$work/arm64-1.tar"
umoci unpack --image "$out:arm64-1" "$work/arm64"
find "$work/arm64/rootfs" -mindepth 1 -delete
tar -xpf "$work/arm64-1.tar" -C "$work/arm64/rootfs" --numeric-owner
umoci repack --image "$out:arm64-2" \
  --history.created_by "mmdebstrap --variant=extract --architectures=arm64 (ca-certificates in, usrmerge out)" "$work/arm64"

# Layer 2, the same for both: edge cases, in an order GNU tar is told.
edge=$work/edge
mkdir -p "$edge"
cd "$edge"
tab=$'\t'
long_dir=$(printf 'd%.0s' $(seq 150))
long_name=$(printf 'n%.0s' $(seq 200)).txt
mkdir -p opt/edge/private "opt/edge/ünïcödé" "opt/edge/$long_dir" opt/implicit/deep \
  etc/apt/apt.conf.d etc/issue.net usr/share/doc usr/bin srv var/tmp
chmod 0750 srv
chmod 1777 var/tmp
chmod 0700 opt/edge/private
printf 'one file, two names\n' >opt/edge/hard-a
ln opt/edge/hard-a opt/edge/hard-b
ln -s /bin/sh opt/edge/sh                            # through bin -> usr/bin on amd64
ln -s /bin/perl5.36.0 opt/edge/perl                  # a hard link behind a merged-/usr link
ln -s ../../etc/os-release opt/edge/os-release       # a link to a link
ln -s loop-b opt/edge/loop-a
ln -s loop-a opt/edge/loop-b
: >opt/edge/empty
printf '#!/bin/sh\necho setuid\n' >opt/edge/suid
chmod 4755 opt/edge/suid
printf 'secret\n' >opt/edge/private/secret
chmod 0600 opt/edge/private/secret
printf 'UTF-8 names\n' >"opt/edge/ünïcödé/日本語.txt"
printf 'duck\n' >"opt/edge/emoji-🦆.txt"
printf 'a space\n' >"opt/edge/space name.txt"
printf 'a tab\n' >"opt/edge/tab${tab}name.txt"
printf 'a long path\n' >"opt/edge/$long_dir/$long_name"
ln -s "$long_dir/$long_name" opt/edge/long-symlink
ln "opt/edge/$long_dir/$long_name" opt/edge/long-hardlink
printf 'no directory entries above me\n' >opt/implicit/deep/file
: >etc/.wh.motd                                      # a file removed
: >usr/share/doc/.wh.dpkg                            # a directory removed
printf 'APT::Install-Recommends "0";\n' >etc/apt/apt.conf.d/00platypus
: >etc/apt/apt.conf.d/.wh..wh..opq                   # the directory made opaque
printf 'APT::Install-Suggests "0";\n' >etc/apt/apt.conf.d/99platypus
ln -s coreutils usr/share/doc/bash                   # a directory becomes a link
printf 'was a file\n' >etc/issue.net/README           # a file becomes a directory
printf '#!/bin/sh\necho perlbug replaced\n' >usr/bin/perlbug # perlthanks, below, is its hard link
chmod 0755 usr/bin/perlbug
printf '12.platypus\n' >etc/debian_version
# The tar's order, as given (parents first, but not for opt/implicit; the
# opaque marker between two of its directory's own entries).
cat >"$work/edge.list" <<EOF
opt
opt/edge
opt/edge/hard-a
opt/edge/hard-b
opt/edge/sh
opt/edge/perl
opt/edge/os-release
opt/edge/loop-a
opt/edge/loop-b
opt/edge/empty
opt/edge/suid
opt/edge/private
opt/edge/private/secret
opt/edge/ünïcödé
opt/edge/ünïcödé/日本語.txt
opt/edge/emoji-🦆.txt
opt/edge/space name.txt
opt/edge/tab${tab}name.txt
opt/edge/$long_dir
opt/edge/$long_dir/$long_name
opt/edge/long-symlink
opt/edge/long-hardlink
opt/implicit/deep/file
etc/.wh.motd
usr/share/doc/.wh.dpkg
etc/apt/apt.conf.d/00platypus
etc/apt/apt.conf.d/.wh..wh..opq
etc/apt/apt.conf.d/99platypus
usr/share/doc/bash
etc/issue.net
etc/issue.net/README
usr/bin/perlbug
etc/debian_version
srv
var/tmp
EOF
tar --create --format=gnu --no-recursion --numeric-owner --owner=0 --group=0 \
  --file "$work/edge.tar" --verbatim-files-from --files-from "$work/edge.list"
cd - >/dev/null
for arch in amd64 arm64; do
  umoci raw add-layer --image "$out:$arch-2" --tag "$arch-3" \
    --history.created_by "tar --create --format=gnu (edge cases)" "$work/edge.tar"
done

regctl index create "ocidir://$out:debian" --ref "ocidir://$out:amd64-3" --ref "ocidir://$out:arm64-3" >/dev/null
umoci gc --layout "$out"
echo "debian-image.sh: $out: $(regctl manifest get "ocidir://$out:debian" --format '{{range .Manifests}}{{.Platform.Architecture}} {{end}}')"
