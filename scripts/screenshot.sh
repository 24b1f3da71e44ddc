#!/usr/bin/env bash
# Regenerates docs/screenshot.png: the first screen (built-in echo server exchange) under Xvfb.
# Usage: scripts/screenshot.sh [output.png] [wsinspector arguments...]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wsi_ensure_packages imagemagick
wsi_build
out=${1:-$WSI_ROOT/docs/screenshot.png}
shift || true
mkdir -p "$(dirname "$out")"
export WSI_SHOT_OUT=$out WSI_SHOT_BIN=$WSI_BUILD_DIR/wsinspector WSI_SHOT_DELAY=${WSI_SHOT_DELAY:-3}
xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
    "$WSI_SHOT_BIN" --new-window "$@" & pid=$!  # never a tab in a window the user has open
    sleep "$WSI_SHOT_DELAY"
    import -window root -crop 1360x860+0+0 +repage "$WSI_SHOT_OUT"
    kill "$pid"; wait "$pid" 2>/dev/null || true
' bash "$@"
wsi_log "wrote $out"
