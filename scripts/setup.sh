#!/usr/bin/env bash
# One-time set-up of a fresh machine: Debian packages (when root), the virtual environment
# and the project installed into it. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(bubblewrap util-linux postgresql chromium fonts-noto-core fonts-dejavu-core fonts-droid-fallback libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libicu-dev pkg-config g++ python3-dev)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (${missing[*]}); run as root or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
# The classroom hub (osintlab hub) runs officers' servers under their own accounts with this venv's
# Python, so it must be one every account can run (a pyenv Python inside /root is not).
if [ ! -x .venv/bin/python ] && [ "$(id -u)" = 0 ] && ! runuser -u nobody -- "$(command -v "$PYTHON")" -c '' 2>/dev/null \
   && /usr/bin/python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: other accounts cannot run $PYTHON; making the venv with /usr/bin/python3 (the classroom hub needs it)"
  PYTHON=/usr/bin/python3
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev,hub]'
# JupyterLab's news feed would reach the internet; the course is offline (page_config in the venv).
.venv/bin/jupyter labextension disable --level=sys_prefix "@jupyterlab/apputils-extension:announcements" >/dev/null
# configurable-http-proxy for the classroom hub, from npm into hub/proxy/node_modules (exact versions from
# hub/proxy/package-lock.json); skipped when that lock file is already installed.
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "setup: installing Debian packages: nodejs npm (for the classroom hub's proxy)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if command -v npm >/dev/null 2>&1; then
  if ! cmp -s hub/proxy/package-lock.json hub/proxy/node_modules/.osintlab-installed-lock.json; then
    (cd hub/proxy && npm ci --ignore-scripts --no-audit --no-fund --omit=dev --loglevel=error >/dev/null)
    cp hub/proxy/package-lock.json hub/proxy/node_modules/.osintlab-installed-lock.json
  fi
else
  echo "setup: npm not found; the classroom hub (osintlab hub) needs node and npm: apt-get install nodejs npm" >&2
fi
# The answer forms' JupyterLab extension (prebuilt, committed; see labs/labextension/README.md).
# An editable install carries no data files, so link it where JupyterLab looks, as
# `jupyter labextension develop` would; a wheel install puts it there itself.
mkdir -p .venv/share/jupyter/labextensions
ln -sfn "$PWD/labs/labextension/prebuilt" .venv/share/jupyter/labextensions/osintlab-answers
echo "setup: done (.venv ready)"
