#!/usr/bin/env bash
# Regenerates the classroom screenshots in docs/: the Server panel, push versus polling, and the
# students' page in headless Chromium (English and Chinese by Accept-Language, phone-sized).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wsi_ensure_packages chromium
cmake --build "$WSI_BUILD_DIR" --target classroom-screenshots wsinspector
out=$WSI_ROOT/docs
qm=$(find "$WSI_BUILD_DIR" -name 'wsinspector_zh_CN.qm' | head -1)
xvfb-run -a "$WSI_BUILD_DIR/tests/server/classroom-screenshots" "$out" en
xvfb-run -a "$WSI_BUILD_DIR/tests/server/classroom-screenshots" "$out" zh_CN "$qm"

port=18123
"$WSI_BUILD_DIR/wsinspector" --serve --listen 127.0.0.1:$port >/dev/null & pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
# A "teacher" in the chat (npm ws from tests/interop) greets whoever joins, so the page has messages.
wsi_ensure_node_modules
WS_MODULE=$WSI_ROOT/tests/interop/node_modules/ws node -e '
const WebSocket = require(process.env.WS_MODULE);
const t = new WebSocket("ws://127.0.0.1:" + process.argv[1] + "/chat?name=Teacher");
t.on("message", (m) => {
    const o = JSON.parse(m);
    if (o.type === "join" && o.from !== "Teacher")
        setTimeout(() => t.send(o.from === "小明" ? "欢迎，小明！" : "Welcome, " + o.from + "!"), 100);
});
setTimeout(() => process.exit(0), 9000);' $port & greeter=$!
sleep 0.5
for lang in en zh-CN; do
    suffix=; name=Ann
    [ "$lang" = zh-CN ] && suffix=-zh_CN && name=%E5%B0%8F%E6%98%8E
    # #name=…&connect fills in the form and connects, as a shared link can.
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --lang="$lang" \
        --accept-lang="$lang" --window-size=390,844 --virtual-time-budget=2000 \
        --screenshot="$out/classroom-students-page$suffix.png" "http://127.0.0.1:$port/#name=$name&connect" 2>/dev/null
done
kill $greeter 2>/dev/null || true
wsi_log "wrote $out/classroom-*.png"
