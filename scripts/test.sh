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
