#!/usr/bin/env bash
# Rebuild the prebuilt JupyterLab extension (prebuilt/) from lib/index.js.
# Needs node and npm, and the registry at install time only; the result is committed, so
# setting up the course never runs npm. Run from anywhere: bash labs/labextension/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-$here/../../.venv/bin/python}
core=$("$python" -c 'import jupyterlab, pathlib; print(pathlib.Path(jupyterlab.__file__).parent / "staging")')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/package.json" "$here/lib" "$work/"
cd "$work"
npm install --no-audit --no-fund --loglevel=error
# The builder's own entry point: `jupyter labextension build` now asks the network for core metadata.
node node_modules/@jupyterlab/builder/lib/build-labextension.js --core-path "$core" .
rm -rf "$here/prebuilt"
cp -r "$work/prebuilt" "$here/prebuilt"
echo "labextension: rebuilt $here/prebuilt"
