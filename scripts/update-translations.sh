#!/usr/bin/env bash
# Refreshes translations/*.ts from the sources (English is the source language).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wsi_ensure_packages
cd "$WSI_ROOT"
/usr/lib/qt6/bin/lupdate -locations relative -no-obsolete app ui -ts translations/wsinspector_zh_CN.ts
