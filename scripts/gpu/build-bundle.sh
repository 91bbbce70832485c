#!/usr/bin/env bash
# Builds the GPU bundle: a self-contained linux-x64 publish of the promptintern CLI WITHOUT any libtorch package
# (-p:TorchBackend=none), packed as artifacts/gpu/promptintern-linux-x64.tar.xz (must stay under 64 MiB to travel
# to the device machine). On that machine scripts/gpu/run.sh points TorchSharp at PyTorch's own libtorch.
# Also builds artifacts/corpus/corpus.jsonl.xz (the pretraining corpus) when it is missing. A device call then carries
# ["artifacts/gpu/promptintern-linux-x64.tar.xz", "artifacts/corpus/corpus.jsonl.xz"].
# Usage: scripts/gpu/build-bundle.sh            (run at the repository root or anywhere inside it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/artifacts/gpu"
pub="$out/promptintern"
rm -rf "$pub" && mkdir -p "$out"
# Partial trimming: only the framework's own (trimmable) assemblies lose what nothing references, which halves the
# runtime (System.Private.CoreLib 15 → 3 MB) and keeps the carried tree under 64 MiB as the tracked results grow; the
# kit's assemblies and TorchSharp stay whole, so reflection over their types (JSON, the CLI) is unaffected.
# Trimming turns reflection-based JSON off by default; the kit serializes its records by reflection, so it stays on.
# FSharp.Core's trimming hints name resources it lacks (IL2040): harmless, and not a reason to fail the bundle.
# BUNDLE_TRIM=0 publishes untrimmed, should a trimmed bundle ever miss something on the device: about 10 MiB more,
# which with the tracked results no longer fits the 64 MiB a call carries.
# The linker's intermediate output is not rebuilt when only these properties change, so it is cleared first.
trim=(-p:PublishTrimmed=false)
[[ "${BUNDLE_TRIM:-1}" == 1 ]] && trim=(-p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true
  -p:JsonSerializerIsReflectionEnabledByDefault=true -p:NoWarn=IL2040 -p:TreatWarningsAsErrors=false)
rm -rf "$root/src/PromptIntern.Cli/obj/Release/net10.0/linux-x64"
dotnet publish "$root/src/PromptIntern.Cli/PromptIntern.Cli.csproj" -c Release -r linux-x64 --self-contained true \
  -p:TorchBackend=none -p:WithNotebooks=false "${trim[@]}" -p:DebugType=none -p:GenerateDocumentationFile=false \
  -o "$pub" -nologo -v q
# No libtorch may ride along: the machine's PyTorch provides it (and must match its CUDA).
if find "$pub" -name 'libtorch*.so*' -o -name 'libc10*.so*' | grep -q .; then
  echo "error: a libtorch library ended up in the bundle; is TorchBackend=none honoured by the csproj?" >&2; exit 1
fi
# Debugger/tracing helpers, alternative GCs and resource translations are never loaded by a run; the device machine's
# working tree is capped at 64 MiB, so they stay behind.
rm -rf "$pub"/{createdump,libmscordaccore.so,libmscordbi.so,libclrgc.so,libclrgcexp.so,libcoreclrtraceptprovider.so} \
  "$pub"/{cs,de,es,fr,it,ja,ko,pl,pt-BR,ru,tr,zh-Hans,zh-Hant}
# Charts and Deedle tables (report, notebooks, figures) never run on the device: their assemblies stay behind too
# (about 12 MB), nor XML, DataSet, VB and DataContract serialization (15 MB): pretrain, reproduce, bench and generate
# load none of them (checked on CPU: scripts/gpu/bundle-smoke.sh).
rm -f "$pub"/{PromptIntern.Figures,Plotly.NET,Plotly.NET.CSharp,Deedle,FSharp.Core,Fable.Core,Giraffe.ViewEngine,DynamicObj,Newtonsoft.Json}.dll \
  "$pub"/{System.Private.Xml,System.Private.Xml.Linq,System.Data.Common,Microsoft.VisualBasic.Core,System.Private.DataContractSerialization}.dll
# Nothing on the device reaches a network (it has none) or uses `dynamic`: the networking stack and the C# binder
# (about 5 MB) stay behind too, which keeps the carried tree under 64 MiB as the tracked results grow. System.Net.Sockets
# stays: process pipes (the MBPP sandbox) use it on Unix.
rm -f "$pub"/{System.Net.Http,System.Net.Http.Json,System.Net.HttpListener,System.Net.Mail,System.Net.NetworkInformation}.dll \
  "$pub"/{System.Net.Ping,System.Net.Quic,System.Net.Requests,System.Net.Security,System.Net.ServerSentEvents}.dll \
  "$pub"/{System.Net.ServicePoint,System.Net.WebClient,System.Net.WebProxy,System.Net.WebSockets.Client}.dll \
  "$pub"/{System.Net.WebSockets,Microsoft.CSharp}.dll "$pub"/libSystem.Net.Security.Native.so
# Results made with the bundle name this commit (RunProvenance prefers COMMIT to the device copy's .git); "+dirty" marks
# uncommitted changes to tracked files (results, notebooks and Markdown excepted, as in RunProvenance).
commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
[[ -n "$(git -C "$root" status --porcelain --untracked-files=no -- . ":(exclude)results" ":(exclude)notebooks" ":(exclude)*.md" 2>/dev/null)" ]] && commit="$commit+dirty"
echo "$commit" > "$pub/COMMIT"
XZ_OPT=-9 tar -C "$out" -cJf "$out/promptintern-linux-x64.tar.xz" promptintern
size=$(stat -c %s "$out/promptintern-linux-x64.tar.xz")
echo "bundle: $out/promptintern-linux-x64.tar.xz ($((size / 1024 / 1024)) MiB, commit $(cat "$pub/COMMIT"))"
if (( size >= 64 * 1024 * 1024 )); then echo "error: bundle is over 64 MiB" >&2; exit 1; fi
# The pretraining corpus the device jobs carry beside the bundle (task train splits, man pages, Python stdlib; its
# manifest.json records sources and licences), built once. It depends on the machine (man pages installed), so keep
# the one a base model was pretrained on (manifest.json records its documents).
if [[ ! -f "$root/artifacts/corpus/corpus.jsonl.xz" ]]; then
  "$root/promptintern" corpus build --out "$root/artifacts/corpus"
  xz -k -9 "$root/artifacts/corpus/corpus.jsonl"
fi
# A larger corpus for a stronger base, on request: the same sources plus the Python and shell sources Debian
# packages installed under CORPUS_PACKAGE_ROOTS (comma-separated, e.g. /usr/lib/python3/dist-packages,/usr/share,/usr/bin),
# with budgets that take all of them here (51.7 MB of text against 26 MB, 8.9 MiB as xz), licences per package in its
# manifest. scripts/gpu/stronger-base.sh pretrains on it (NANO_CORPUS=artifacts/corpus-pkg/corpus.jsonl.xz).
corpus_pkg=0
if [[ -n "${CORPUS_PACKAGE_ROOTS:-}" && ! -f "$root/artifacts/corpus-pkg/corpus.jsonl.xz" ]]; then
  "$root/promptintern" corpus build --out "$root/artifacts/corpus-pkg" --package-roots "$CORPUS_PACKAGE_ROOTS" \
    --max-bytes 60000000 --package-bytes 36000000
  xz -k -9 "$root/artifacts/corpus-pkg/corpus.jsonl"
fi
[[ -n "${CORPUS_PACKAGE_ROOTS:-}" ]] && corpus_pkg=$(stat -c %s "$root/artifacts/corpus-pkg/corpus.jsonl.xz" 2>/dev/null || echo 0)
# What travels to the device: tracked files + this bundle + the pretraining corpus must stay under 64 MiB together.
tracked=$(git -C "$root" ls-files -z | (cd "$root" && xargs -0 stat -c %s 2>/dev/null) | awk '{s+=$1} END {print s+0}')
corpus=$(stat -c %s "$root/artifacts/corpus/corpus.jsonl.xz" 2>/dev/null || echo 0)
total=$(( tracked + size + corpus + corpus_pkg ))
echo "travels to the device: tracked $((tracked / 1048576)) MiB + bundle $((size / 1048576)) MiB + corpus $((corpus / 1048576)) MiB + package corpus $((corpus_pkg / 1048576)) MiB = $((total / 1048576)) MiB of 64"
if (( total >= 64 * 1024 * 1024 )); then echo "warning: over the device's 64 MiB working-tree limit; the run call will be refused" >&2; fi
