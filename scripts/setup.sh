#!/usr/bin/env bash
# Installs what policyc needs: Debian libraries for WeasyPrint and the PDF tools the
# tests use, then the Python package itself (editable, so templates/ and schemas/ are
# read from this checkout). Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig poppler-utils)
missing=()
for pkg in "${want[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
python3 -m pip install --quiet --disable-pip-version-check -e ".${extras}" 2>&1 \
  | grep -v "Running pip as the 'root' user" || true
