#!/usr/bin/env bash
# sigmatch decode side by side with tshark's field extraction, over the same file, in one run
# (DESIGN §9: "./sigmatch decode to JSON Lines, same file as tshark").
#   perf/vs-tshark.sh FILE                       the file as it is
#   perf/vs-tshark.sh --loop 200000 FILE         FILE repeated to 200 000 packets first (./sigmatch bench loop)
# tshark extracts IMSI, MSISDN, MEI, TAC and ECI of every GTPv2-C message (-Y gtpv2, -T fields) to
# /dev/null; sigmatch prints its JSON Lines to /dev/null. Both are timed as whole processes (wall
# clock), and again with their start-up cost (each run once over a 4-packet capture) taken out.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
loop=
if [ "${1:-}" = --loop ]; then loop=$2; shift 2; fi
[ $# -eq 1 ] || { echo "usage: perf/vs-tshark.sh [--loop PACKETS] FILE" >&2; exit 2; }
command -v tshark >/dev/null || { echo "vs-tshark: tshark is not installed (tools/setup-debian.sh --test)" >&2; exit 2; }
file=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "$loop" ]; then
  "$root/sigmatch" bench loop "$file" --packets "$loop" --out "$tmp/looped.pcap"
  file="$tmp/looped.pcap"
fi
tiny="$root/pcap-samples/corpus/gtpv2/ndpi-gtp_c.pcap"
fields=(-e e212.imsi -e e164.msisdn -e gtpv2.mei -e gtpv2.tai_tac -e gtpv2.ecgi_eci)

now() { date +%s%N; }
run_tshark() { tshark -n -r "$1" -Y gtpv2 -T fields "${fields[@]}" >/dev/null 2>"$tmp/tshark.err"; }
run_sigmatch() { SIGMATCH_NO_BUILD=1 "$root/sigmatch" decode "$1" >/dev/null 2>"$tmp/sigmatch.err"; }

"$root/sigmatch" decode "$tiny" >/dev/null 2>&1     # builds if needed, warms the page cache
packets=$(capinfos -M -c "$file" | awk -F': *' '/Number of packets/ {print $2}')
t0=$(now); run_tshark "$tiny"; t1=$(now); run_sigmatch "$tiny"; t2=$(now)
tshark_start=$((t1 - t0)); sigmatch_start=$((t2 - t1))
t0=$(now); run_tshark "$file"; t1=$(now); run_sigmatch "$file"; t2=$(now)
tshark_ns=$((t1 - t0)); sigmatch_ns=$((t2 - t1))
messages=$(sed -n 's/^messages:.*gtpv2=\([0-9]*\).*/\1/p' "$tmp/sigmatch.err")

echo "file:     $1${loop:+ looped to $loop packets} ($packets packets; sigmatch decoded ${messages:-?} GTPv2-C messages)"
echo "machine:  $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tshark:   $(tshark -v 2>/dev/null | head -1); sigmatch JVM: $(java -version 2>&1 | head -1)"
awk -v p="$packets" -v tn="$tshark_ns" -v sn="$sigmatch_ns" -v ts="$tshark_start" -v ss="$sigmatch_start" 'BEGIN {
  printf "%-28s %12s %14s %14s\n", "", "wall s", "packets/s", "excl. start-up"
  tr = p / (tn / 1e9); sr = p / (sn / 1e9)
  te = (tn > ts) ? p / ((tn - ts) / 1e9) : 0; se = (sn > ss) ? p / ((sn - ss) / 1e9) : 0
  printf "%-28s %12.3f %14.0f %14.0f\n", "tshark -T fields (5 fields)", tn / 1e9, tr, te
  printf "%-28s %12.3f %14.0f %14.0f\n", "sigmatch decode (JSON Lines)", sn / 1e9, sr, se
  printf "start-up: tshark %.3f s, sigmatch %.3f s (each over a 4-packet capture)\n", ts / 1e9, ss / 1e9
  printf "ratio sigmatch / tshark: %.1fx (whole processes), %.1fx (start-up excluded)\n", sr / tr, (te > 0 ? se / te : 0)
}'
