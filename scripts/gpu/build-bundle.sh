#!/usr/bin/env bash
# Builds the GPU bundle: a self-contained linux-x64 publish of the promptintern CLI WITHOUT any libtorch package
# (-p:TorchBackend=none), packed as artifacts/gpu/promptintern-linux-x64.tar.xz (must stay under 64 MiB to travel
# to the device machine). On that machine scripts/gpu/run.sh points TorchSharp at PyTorch's own libtorch.
# Usage: scripts/gpu/build-bundle.sh            (run at the repository root or anywhere inside it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/artifacts/gpu"
pub="$out/promptintern"
rm -rf "$pub" && mkdir -p "$out"
dotnet publish "$root/src/PromptIntern.Cli/PromptIntern.Cli.csproj" -c Release -r linux-x64 --self-contained true \
  -p:TorchBackend=none -p:WithNotebooks=false -p:PublishTrimmed=false -p:DebugType=none -p:GenerateDocumentationFile=false \
  -o "$pub" -nologo -v q
# No libtorch may ride along: the machine's PyTorch provides it (and must match its CUDA).
if find "$pub" -name 'libtorch*.so*' -o -name 'libc10*.so*' | grep -q .; then
  echo "error: a libtorch library ended up in the bundle; is TorchBackend=none honoured by the csproj?" >&2; exit 1
fi
git -C "$root" rev-parse HEAD > "$pub/COMMIT" 2>/dev/null || echo unknown > "$pub/COMMIT"
tar -C "$out" -cJf "$out/promptintern-linux-x64.tar.xz" promptintern
size=$(stat -c %s "$out/promptintern-linux-x64.tar.xz")
echo "bundle: $out/promptintern-linux-x64.tar.xz ($((size / 1024 / 1024)) MiB, commit $(cat "$pub/COMMIT"))"
if (( size >= 64 * 1024 * 1024 )); then echo "error: bundle is over 64 MiB" >&2; exit 1; fi
