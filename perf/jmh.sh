#!/usr/bin/env bash
# Runs the JMH suite: perf/jmh.sh quick|full|smoke [REGEX] [extra JMH options, not -f/-wi/-i/-w/-r]
#   quick  CI-sized: 1 fork, 2 x 1 s warm-up, 3 x 1 s measurement; target list of 10 M entries.
#          A few minutes for the whole suite on 2 cores.
#   full   3 forks, 5 x 2 s warm-up, 5 x 2 s measurement; target list of 100 M entries (needs ~6 GB heap).
# Always with -prof gc (gc.alloc.rate.norm = bytes allocated per op) and the JVM flags of the root
# pom's sigmatch.jvm.flags. Results also go to perf/target/jmh-<mode>.json.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
mode=${1:-}
shift || true
regex=${1:-.}
[ $# -gt 0 ] && shift

jar="$here/target/sigmatch-perf.jar"
if [ "${SIGMATCH_NO_BUILD:-}" != 1 ] && { [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; }; then
  echo "jmh.sh: building perf..." >&2
  (cd "$root" && mvn -B -q -DskipTests -pl perf -am package) >&2
fi

# The root pom's flags, with the pom's own ${project.build.directory} made concrete.
flags=$(sed -n 's:.*<sigmatch.jvm.flags>\(.*\)</sigmatch.jvm.flags>.*:\1:p' "$root/pom.xml")
flags=${flags//\$\{project.build.directory\}/$here/target}

case "$mode" in
  quick) opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s) ;;
  smoke) opts=(-f 1 -wi 1 -w 1s -i 1 -r 1s) ;;   # does everything run? not a figure
  full)  opts=(-f 3 -wi 5 -w 2s -i 5 -r 2s -p entries=100000000) ;;
  *) echo "usage: perf/jmh.sh quick|full|smoke [REGEX] [JMH options...]" >&2; exit 2 ;;
esac

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
umask 077
# shellcheck disable=SC2086
exec "$java_bin" $flags -Dsigmatch.repo="$root" -cp "$jar" org.openjdk.jmh.Main "$regex" \
  "${opts[@]}" -prof gc -jvmArgsPrepend "$flags -Dsigmatch.repo=$root" \
  -rf json -rff "$here/target/jmh-$mode.json" "$@"
