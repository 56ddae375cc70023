#!/usr/bin/env bash
# Files the release archives and the .deb carry besides the binary
# (.goreleaser.yaml runs this first): shell completions, and the man
# pages of docs/man compressed as Debian wants them. Written to build/.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf build/completions build/man
mkdir -p build/completions build/man
go build -o build/platypus-host ./cmd/platypus
./build/platypus-host completion bash >build/completions/platypus.bash
./build/platypus-host completion zsh >build/completions/_platypus
./build/platypus-host completion fish >build/completions/platypus.fish
rm build/platypus-host
for page in docs/man/*.1; do
  gzip -9 -n -c "$page" >"build/man/$(basename "$page").gz"
done
