#!/usr/bin/env bash
# Installs what is missing, builds, and starts the inspector. Extra arguments go to wsinspector.
# Without a display it runs the terminal front end against the built-in echo server.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wsi_ensure_packages
wsi_build
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    if [ $# -eq 0 ]; then
        wsi_log "no display: running the terminal front end against the built-in echo server"
        exec "$WSI_BUILD_DIR/wsinspector" --cli -v builtin:echo -x "Hello from WebSocket Inspector" -w 1
    fi
    exec "$WSI_BUILD_DIR/wsinspector" --cli "$@"
fi
exec "$WSI_BUILD_DIR/wsinspector" "$@"
