#!/usr/bin/env bash
# Behaviour-preserving refactors: runs two iopsched binaries on the same inputs and
# compares every output byte for byte (run.json and wall-clock lines aside).
#
#   scripts/same-bytes.sh OLD_BIN NEW_BIN [TIME_LIMIT]
#
# Inputs: data/example (with a facilitator who cannot make a session and with
# conflicting pins, for the warnings, lint and the pin conflicts), a generated
# program, and the same program with a client's new job solved with its roster as
# last week's (for changes.csv). TIME_LIMIT (default 60 s) must let every solve
# prove optimality, or two runs of the same binary may differ already; the script
# says so when they do.
set -uo pipefail
old=$1 new=$2 limit=${3:-60}
week=2026-11-23
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)

cp -r "$here/data/example" "$work/example"
# A session whose facilitator is not there on Sunday: a loader warning.
echo "X-SUN,Sunday Group,,Sun,09:00,12:00,day,T1,Room A,12,0,IOP;PHP,,," >>"$work/example/sessions.csv"
cp -r "$work/example" "$work/pinned"
printf 'client_id,activity,session_id,staff_id,day,start\nC001,group,D-MON-A,,,\nC001,group,D-MON-B,,,\nC002,individual,,T1,Sun,10:00\n' >"$work/pinned/pins.csv"
"$new" generate --clients 16 --seed 3 --out "$work/gen" >/dev/null
cp -r "$work/gen" "$work/next"
first=$(sed -n 2p "$work/gen/clients.csv" | cut -d, -f1)
echo "$first,Mon,07:00,22:00,new job" >>"$work/next/client_busy.csv"

# run NAME BIN ARGS...: outputs in $work/BIN-NAME/, console in $work/BIN-NAME.txt
run() {
  local name=$1 tag=$2 bin=$3
  shift 3
  local out="$work/$tag-$name"
  local to=(--out "$out")
  [ "$1" = lint ] && to=()
  "$bin" "$@" "${to[@]}" >"$out.stdout" 2>"$out.stderr"
  echo "exit $?" >>"$out.stdout"
  # Wall-clock figures, and how far the time-bounded start got, differ from run
  # to run.
  grep -v -E ' in [0-9.]+ s$| [0-9.]+ s(,|$)' "$out.stderr" |
    sed -E -e 's/; constructive start met [0-9]+//' -e "s#$out#OUT#g" >"$out.txt"
  cat "$out.stdout" >>"$out.txt"
  rm -f "$out/run.json"
}

both() {
  local name=$1
  shift
  run "$name" old "$old" "$@"
  run "$name" new "$new" "$@"
  run "$name" again "$new" "$@"
}

both example solve "$work/example" --week $week --time-limit "$limit"
both pinned solve "$work/pinned" --week $week --time-limit "$limit"
both lint lint "$work/example" --week $week
both gen solve "$work/gen" --week $week --time-limit "$limit"
both next solve "$work/next" --week $week --time-limit "$limit" --previous "$work/new-gen/roster.csv"
both check check "$work/next" --week $week --roster "$work/new-gen/roster.csv"

status=0
for name in example pinned lint gen next check; do
  mkdir -p "$work/old-$name" "$work/new-$name" "$work/again-$name"
  if ! diff -r "$work/new-$name" "$work/again-$name" >/dev/null ||
    ! diff "$work/new-$name.txt" "$work/again-$name.txt" >/dev/null; then
    echo "$name: two runs of the new binary differ: raise TIME_LIMIT" >&2
    status=2
    continue
  fi
  if diff -r "$work/old-$name" "$work/new-$name" && diff "$work/old-$name.txt" "$work/new-$name.txt"; then
    echo "$name: same bytes"
  else
    echo "$name: DIFFERENT" >&2
    status=1
  fi
done
if [ $status = 0 ]; then
  rm -rf "$work"
else
  echo "outputs kept in $work" >&2
fi
exit $status
