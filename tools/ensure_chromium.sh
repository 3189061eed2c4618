#!/usr/bin/env bash
# Make sure Debian's chromium and chromium-driver are installed (the browser test drives them).
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "The browser test needs Debian's chromium and chromium-driver; install them as root:" >&2
    echo "  apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
fi
echo "installing chromium and chromium-driver (Debian packages) for the browser test"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
