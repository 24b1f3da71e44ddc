# Shared by run.sh, test.sh and the other scripts: install what is missing, configure, build.
# shellcheck shell=bash

WSI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WSI_BUILD_TYPE=${WSI_BUILD_TYPE:-Debug}
WSI_BUILD_DIR=${WSI_BUILD_DIR:-$WSI_ROOT/build/dev}

# Debian 12 packages the build, the GUI and the tests need.
WSI_PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-charts-dev qtkeychain-qt6-dev libgl-dev qt6-qpa-plugins qt6-translations-l10n
    libqt6svg6 openssl xvfb xauth fonts-noto-cjk zlib1g-dev libqrencode-dev
    qt6-svg-dev dpkg-dev desktop-file-utils appstream lintian file gzip man-db
    python3-websockets clang libfuzzer-14-dev rapidjson-dev
)

wsi_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs the Debian packages that are not installed yet; does nothing when all are there.
wsi_ensure_packages() {
    local missing=() pkg
    for pkg in "${WSI_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
    if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
            wsi_log "missing packages: ${missing[*]} (run as root or install sudo)"; return 1
        fi
    fi
    wsi_log "installing: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Configures once, then builds incrementally.
wsi_build() {
    if [ ! -f "$WSI_BUILD_DIR/build.ninja" ]; then
        wsi_log "configuring ($WSI_BUILD_TYPE) in $WSI_BUILD_DIR"
        cmake -S "$WSI_ROOT" -B "$WSI_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$WSI_BUILD_TYPE" "$@"
    fi
    wsi_log "building"
    cmake --build "$WSI_BUILD_DIR" --parallel "$(nproc)"
}

# JavaScript test peers (npm ws, websocket), pinned in tests/interop/package-lock.json.
wsi_ensure_node_modules() {
    local dir=$WSI_ROOT/tests/interop
    [ -f "$dir/package-lock.json" ] || return 0
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        wsi_log "installing the npm test peers (npm ci)"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
}
