#!/usr/bin/env bash
# Builds the Release .deb with CPack (build/package/wsinspector_VERSION_ARCH.deb) and checks it
# with lintian (errors fail the script; warnings and infos are printed).
# Install it with: apt install ./build/package/wsinspector_*.deb
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wsi_ensure_packages
WSI_BUILD_TYPE=Release
WSI_BUILD_DIR=${WSI_PACKAGE_DIR:-$WSI_ROOT/build/package}
# Debian's hardening flags (fortify, stack protector, relro, bind now), as a Debian build uses
# them; configured every time so a changed flag reaches an existing build folder.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cd "$WSI_ROOT" # dpkg-buildflags maps the current folder out of the debug paths
cmake -S "$WSI_ROOT" -B "$WSI_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DWSI_BUILD_TESTS=OFF -DWSI_BUILD_BENCH=OFF -DWSI_PACKAGING=ON \
    -DCMAKE_CXX_FLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)" \
    -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" >/dev/null
wsi_build
cd "$WSI_BUILD_DIR"
rm -f wsinspector_*.deb
wsi_log "packaging"
cpack -G DEB
deb=$(ls "$WSI_BUILD_DIR"/wsinspector_*.deb)
wsi_log "lintian $deb"
lintian --fail-on error --display-info "$deb"
wsi_log "wrote $deb (install: apt install $deb)"
