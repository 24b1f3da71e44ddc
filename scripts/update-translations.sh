#!/usr/bin/env bash
# Refreshes translations/*.ts from the sources (English is the source language).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wsi_ensure_packages
cd "$WSI_ROOT"
/usr/lib/qt6/bin/lupdate -locations relative -no-obsolete app ui -ts translations/wsinspector_zh_CN.ts
# English needs a catalogue only for the %n strings: "%n byte(s)" -> "1 byte" / "2 bytes".
/usr/lib/qt6/bin/lupdate -locations relative -no-obsolete -pluralonly -target-language en app ui \
    -ts translations/wsinspector_en.ts
# Fill the catalogues from translations/zh_CN.json (entries no source uses any more are pruned) and translations/en.json (new strings: add entries
# there, then re-run; en.json holds [one, other] for each %n string).
# Exit 1 = some strings have no entry yet (listed); exit 2 = a translation broke a placeholder/tag: stop.
rc=0
python3 scripts/translate_ts.py --prune || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
rc_en=0
python3 scripts/translate_ts.py --ts translations/wsinspector_en.ts --dict translations/en.json || rc_en=$?
[ "$rc_en" -le 1 ] || exit "$rc_en"
exit 0 # missing entries are listed above, as before
