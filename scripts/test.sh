#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest. Non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wsi_ensure_packages
wsi_ensure_node_modules
wsi_build
cd "$WSI_BUILD_DIR"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@"
# A full run (CI: no ctest arguments) also fuzzes every parser for 20 s each (WSI_FUZZ_SECONDS;
# 0 skips it). A run limited with -R is left quick.
if [ $# -eq 0 ] && [ "${WSI_FUZZ_SECONDS:-20}" != 0 ]; then
    WSI_FUZZ_JOBS=${WSI_FUZZ_JOBS:-$(nproc)} "$WSI_ROOT/scripts/fuzz.sh" "${WSI_FUZZ_SECONDS:-20}"
fi
