#!/usr/bin/env bash
# Checks on the .deb that tests/packaging/CMakeLists.txt builds with cpack.
#   check_package.sh build DEB_DIR CPACK_CONFIG   makes DEB_DIR/wsinspector.deb
#   check_package.sh contents DEB VERSION APP_ID  the file list and the control fields
#   check_package.sh runs DEB VERSION             the unpacked binary prints --version
#   check_package.sh lintian DEB                  no lintian errors (warnings printed)
#   check_package.sh desktop DESKTOP_FILE         desktop-file-validate and the ws:// handler
set -euo pipefail
mode=$1
shift
fail() { echo "FAIL: $*" >&2; exit 1; }

case $mode in
build)
    dir=$1 config=$2
    rm -rf "$dir"
    mkdir -p "$dir"
    cpack -G DEB --config "$config" -B "$dir"
    debs=("$dir"/wsinspector_*.deb)
    [ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "cpack made ${#debs[@]} packages: ${debs[*]}"
    cp "${debs[0]}" "$dir/wsinspector.deb"
    ;;
contents)
    deb=$1 version=$2 appid=$3
    expected=(
        ./usr/bin/wsinspector
        ./usr/share/applications/wsinspector.desktop
        ./usr/share/doc/wsinspector/changelog.gz
        ./usr/share/doc/wsinspector/copyright
        ./usr/share/icons/hicolor/scalable/apps/wsinspector.svg
        "./usr/share/metainfo/$appid.metainfo.xml"
        ./usr/share/man/man1/wsinspector.1.gz
    )
    for size in 16 22 24 32 48 64 128 256; do
        expected+=("./usr/share/icons/hicolor/${size}x${size}/apps/wsinspector.png")
    done
    actual=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sort)
    want=$(printf '%s\n' "${expected[@]}" | sort)
    if [ "$actual" != "$want" ]; then
        diff -u <(echo "$want") <(echo "$actual") || true
        fail "the package's files differ from the expected list (- expected, + in the package)"
    fi
    field() { dpkg-deb -f "$deb" "$1"; }
    [ "$(field Package)" = wsinspector ] || fail "Package: $(field Package)"
    [ "$(field Version)" = "$version" ] || fail "Version: $(field Version), project version $version"
    [ -n "$(field Section)" ] || fail "no Section"
    [[ "$(field Maintainer)" == *@* ]] || fail "Maintainer without an address: $(field Maintainer)"
    [ -n "$(field Description)" ] || fail "no Description"
    # Computed by dpkg-shlibdeps from the binary, not written by hand.
    for lib in libqt6websockets6 libqt6widgets6 libqt6network6 libc6; do
        [[ "$(field Depends)" == *"$lib "* ]] || fail "Depends lacks $lib: $(field Depends)"
    done
    # The PNGs are real images of their size.
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    dpkg-deb -x "$deb" "$tmp"
    for size in 16 48 256; do
        file "$tmp/usr/share/icons/hicolor/${size}x${size}/apps/wsinspector.png" | grep -q "PNG image data, $size x $size" \
            || fail "the ${size}x${size} icon is not a $size x $size PNG"
    done
    echo "package files and control fields as expected"
    ;;
runs)
    deb=$1 version=$2
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    dpkg-deb -x "$deb" "$tmp"
    out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$tmp/usr/bin/wsinspector" --version)
    echo "$out"
    [ "$out" = "wsinspector $version" ] || fail "--version printed \"$out\", expected \"wsinspector $version\""
    ;;
lintian)
    deb=$1
    # Errors fail; warnings and infos are shown for the record.
    lintian --fail-on error --display-info "$deb"
    echo "lintian: no errors"
    ;;
desktop)
    desktop=$1
    desktop-file-validate "$desktop"
    grep -qx 'Exec=wsinspector %u' "$desktop" || fail "Exec is not 'wsinspector %u'"
    grep -qx 'MimeType=x-scheme-handler/ws;x-scheme-handler/wss;' "$desktop" || fail "not the ws:// and wss:// handler"
    grep -q '^Keywords\[zh_CN\]=' "$desktop" || fail "no Chinese keywords"
    echo "desktop entry valid, opens ws:// and wss:// links"
    ;;
*)
    fail "unknown mode $mode"
    ;;
esac
