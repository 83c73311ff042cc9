#!/usr/bin/env bash
# Installs what policyc needs: Debian libraries for WeasyPrint and the PDF tools the
# tests use, then the Python package itself (editable, so templates/ and schemas/ are
# read from this checkout). Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig poppler-utils libcairo2)  # libcairo2: cairosvg, the Word logo
if [ "${1:-}" = "--test" ]; then
  # The browser checks: Debian's Chromium and its driver; Node.js for axe-core and html-validate.
  want+=(chromium chromium-driver)
  # The Word checks: LibreOffice (headless) converts the DOCX files to text and PDF.
  want+=(libreoffice-writer-nogui)
  # The completion checks run the scripts in real bash and zsh.
  want+=(zsh)
  command -v npm >/dev/null 2>&1 || want+=(nodejs npm)
fi
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

if [ "${1:-}" = "--test" ]; then
  if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] || [ ! -x tests/browser/node_modules/.bin/html-validate ]; then
    echo "setup: installing axe-core and html-validate (npm ci in tests/browser)" >&2
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
