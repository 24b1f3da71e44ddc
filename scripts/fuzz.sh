#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang with address and undefined-behaviour sanitizers)
# and runs each for SECONDS (default 20), seeded from tests/fuzz/corpus/<target>. Non-zero as soon
# as one target finds a crash, leak, timeout or broken property; the input is kept under
# build/fuzz/findings/<target>/ (reproduce: build/fuzz/fuzz_<target> <that file>).
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 frameparser
#   WSI_FUZZ_JOBS=2   run that many targets at a time (default 1)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

seconds=${1:-20}
shift || true
fuzz_dir=${WSI_FUZZ_BUILD_DIR:-$WSI_ROOT/build/fuzz}
jobs=${WSI_FUZZ_JOBS:-1}

wsi_ensure_packages
if [ ! -f "$fuzz_dir/build.ninja" ]; then
    wsi_log "configuring the fuzz targets (clang) in $fuzz_dir"
    CC=clang CXX=clang++ cmake -S "$WSI_ROOT/tests/fuzz" -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
wsi_log "building the fuzz targets"
cmake --build "$fuzz_dir" --parallel "$(nproc)"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for exe in "$fuzz_dir"/fuzz_*; do
        [ -x "$exe" ] && targets+=("$(basename "$exe" | sed 's/^fuzz_//')")
    done
fi

# One target: libFuzzer adds what it learns to build/fuzz/corpus/<target> (the seed directory in
# the repository stays as it is). Prints "<target> <runs> <result>" as its last line.
run_target() {
    local t=$1 work=$fuzz_dir/corpus/$1 found=$fuzz_dir/findings/$1 log=$fuzz_dir/logs/$1.log
    mkdir -p "$work" "$found" "$(dirname "$log")"
    local rc=0
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$fuzz_dir/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$found/" "$work" "$WSI_ROOT/tests/fuzz/corpus/$t" \
        >"$log" 2>&1 || rc=$?
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ $rc -eq 0 ]; then
        echo "$t ${runs:-?} ok"
    else
        echo "$t ${runs:-?} FINDING (exit $rc, see $log)"
    fi
    return $rc
}

wsi_log "fuzzing ${#targets[@]} target(s) for ${seconds} s each, $jobs at a time"
failed=0
pids=()
names=()
for t in "${targets[@]}"; do
    if [ ! -x "$fuzz_dir/fuzz_$t" ]; then
        wsi_log "no fuzz target \"$t\" (have: $(cd "$fuzz_dir" && ls fuzz_* | sed 's/^fuzz_//' | tr '\n' ' '))"
        exit 2
    fi
    run_target "$t" &
    pids+=($!)
    names+=("$t")
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || failed=1; done
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || failed=1; done
if [ $failed -ne 0 ]; then
    wsi_log "fuzzing found a problem: the input is in $fuzz_dir/findings/"
    exit 1
fi
wsi_log "fuzzing: no finding"
