#!/usr/bin/env bash
# Installs what the katas need: the npm packages and, only when node-canvas
# cannot use a prebuilt binary and must build from source, Debian's Cairo and
# Pango development packages.
#   bash .ci/setup.sh         npm install (a learner's clone)
#   bash .ci/setup.sh --ci    npm ci (CI: exactly the lock file)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--ci" ]; then install=(npm ci --no-audit --no-fund); else install=(npm install --no-audit --no-fund); fi

canvas_build_packages=(build-essential pkg-config libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev)

canvas_loads() { node -e "require('canvas')" >/dev/null 2>&1; }

install_canvas_build_packages() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "node-canvas has to be built from source here and needs Cairo and Pango development files." >&2
    echo "Install them (see https://github.com/Automattic/node-canvas#compiling), then run this again." >&2
    exit 1
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "setup: node-canvas has no usable prebuilt binary here; installing ${canvas_build_packages[*]}"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${canvas_build_packages[@]}" >/dev/null
}

# Without the dev packages canvas' from-source build fails and takes the whole
# install with it; installing them first when they are missing saves a failed run.
if ! pkg-config --exists cairo pangocairo 2>/dev/null; then
  if ! "${install[@]}"; then
    install_canvas_build_packages
    "${install[@]}"
  fi
else
  "${install[@]}"
fi

if ! canvas_loads; then
  install_canvas_build_packages
  npm rebuild canvas
fi
canvas_loads || { echo "setup: node-canvas still does not load" >&2; exit 1; }
echo "setup: done. $(node -e "const b = require('./lib/load-tf'); console.log(b.describeBackend(b.loadTf().choice))")"
