#!/usr/bin/env bash
# make test's phases, timed: `phases.sh start` clears the record, `phases.sh run NAME CMD…` runs one
# phase and records its wall time, `phases.sh report` prints each phase's share of the whole.
# Phases that run side by side are recorded each with its own time, and the report says so.
set -u
record=.build/test-phases.txt
case "${1:-}" in
  start)
    mkdir -p .build && : > "$record" && date +%s.%N > "$record.start" ;;
  run)
    name=$2; shift 2
    started=$(date +%s.%N)
    "$@"; status=$?
    seconds=$(echo "$(date +%s.%N) - $started" | bc)
    printf '%s\t%.1f\t%s\n' "$name" "$seconds" "$status" >> "$record"
    printf 'make test: %s took %.1f s%s\n' "$name" "$seconds" "$([ "$status" = 0 ] || echo " and FAILED ($status)")" >&2
    exit $status ;;
  report)
    total=$(echo "$(date +%s.%N) - $(cat "$record.start")" | bc)
    echo "make test: where the time went (wall clock; phases marked ∥ ran beside another)"
    awk -F'\t' -v total="$total" '{ printf "  %-34s %7.1f s  %5.1f%%\n", $1, $2, 100 * $2 / total }' "$record"
    printf '  %-34s %7.1f s\n' "total" "$total" ;;
  *) echo "usage: phases.sh start | run NAME CMD… | report" >&2; exit 64 ;;
esac
