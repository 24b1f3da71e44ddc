#!/usr/bin/env bash
# Refreshes translations/*.ts from the sources (English is the source language).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wsi_ensure_packages
cd "$WSI_ROOT"
/usr/lib/qt6/bin/lupdate -locations relative -no-obsolete app ui -ts translations/wsinspector_zh_CN.ts
# Fill the catalogue from translations/zh_CN.json (new strings: add entries there, then re-run).
# Exit 1 = some strings have no entry yet (listed); exit 2 = a translation broke a placeholder/tag: stop.
rc=0; python3 scripts/translate_ts.py || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
