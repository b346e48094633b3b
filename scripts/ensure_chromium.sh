#!/usr/bin/env bash
# The browser tests drive Debian's chromium (Playwright's own browser download cannot be
# used offline). Install it from the distribution when we are root; otherwise explain.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium: run 'sudo apt-get install chromium' and retry." >&2
exit 1
