#!/usr/bin/env bash
# Device-machine job for the stronger base of the when-it-pays study: pretrains the nano base longer
# (NANO_STEPS, default 2,800 steps of 8 × 4,096 tokens against the default base's 1,200) on the larger corpus that
# build-bundle.sh writes with CORPUS_PACKAGE_ROOTS (artifacts/corpus-pkg: the default sources plus the Python and shell
# sources of the Debian packages installed, licences per package in its manifest), deterministically, as
# nano4k-pkg-<sha8>, then works down grid-stronger-base.txt: when-it-pays.sh with that grid and no order-extraction
# study, so $OUT gets the same results.tar.gz and logs.tar.gz.
# Usage: REPRO_SECONDS=585 scripts/gpu/stronger-base.sh
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export NANO_CORPUS="${NANO_CORPUS:-artifacts/corpus-pkg/corpus.jsonl.xz}" NANO_NAME="${NANO_NAME:-nano4k-pkg}" \
  NANO_STEPS="${NANO_STEPS:-2800}"
[[ -f "$NANO_CORPUS" ]] || { echo "error: $NANO_CORPUS missing; build it with CORPUS_PACKAGE_ROOTS=... scripts/gpu/build-bundle.sh and carry it" >&2; exit 1; }
STUDY=0 GRID=scripts/gpu/grid-stronger-base.txt exec scripts/gpu/when-it-pays.sh
