#!/usr/bin/env bash
# The browser tests drive Debian's chromium (Playwright's own browser download cannot be
# used offline). Install it from the distribution when we are root; otherwise explain.
# LUMBUNG_CHROMIUM points the tests (e2e/conftest.py) at another chromium binary.
set -euo pipefail
CHROMIUM="${LUMBUNG_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ -n "${LUMBUNG_CHROMIUM:-}" ]; then
  echo "LUMBUNG_CHROMIUM=$LUMBUNG_CHROMIUM is not an executable file." >&2
  exit 1
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
  echo "apt-get installed chromium, but $CHROMIUM is still missing." >&2
  exit 1
fi
echo "The browser tests need Chromium at $CHROMIUM: run 'sudo apt-get install chromium'" >&2
echo "(Debian/Ubuntu) and retry, or set LUMBUNG_CHROMIUM to a chromium binary." >&2
exit 1
