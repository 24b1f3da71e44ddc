#!/usr/bin/env bash
# Refreshes translations/*.ts from the sources (English is the source language).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wsi_ensure_packages
cd "$WSI_ROOT"
/usr/lib/qt6/bin/lupdate -locations relative -no-obsolete app ui -ts translations/wsinspector_zh_CN.ts
# Fill the catalogue from translations/zh_CN.json (new strings: add entries there, then re-run).
python3 scripts/translate_ts.py || echo "translate_ts.py: some messages are still unfinished (see above)" >&2
