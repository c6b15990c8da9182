#!/usr/bin/env bash
# Installs what sigmatch needs on a fresh Debian 12 machine; idempotent, quick when all is there.
#   tools/setup-debian.sh          JDK 17 and Maven (build and run)
#   tools/setup-debian.sh --test   also tshark (differential tests), chromium (status page test),
#                                  iproute2 (live-capture test in a network namespace)
set -euo pipefail
pkgs=(openjdk-17-jdk-headless maven)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(tshark chromium chromium-driver iproute2)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup-debian: run as root or install sudo" >&2; exit 2; }
  sudo_cmd=(sudo)
fi
echo "setup-debian: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
