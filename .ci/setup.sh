#!/usr/bin/env bash
# Installs what the katas need: the npm packages and, only when node-canvas
# cannot use a prebuilt binary and must build from source, Debian's Cairo and
# Pango development packages.
#   bash .ci/setup.sh         npm install (a learner's clone)
#   bash .ci/setup.sh --ci    npm ci (CI: exactly the lock file)
# A first install attempt that fails for want of those packages is expected:
# its output is kept in a log and shown only if the attempt after installing
# them fails too.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--ci" ]; then install=(npm ci --no-audit --no-fund); else install=(npm install --no-audit --no-fund); fi

canvas_build_packages=(build-essential pkg-config libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev)
first_attempt_log="$(mktemp -t kata-setup-first-attempt.XXXXXX)"
trap 'rm -f "$first_attempt_log"' EXIT

canvas_loads() { node -e "require('canvas')" >/dev/null 2>&1; }

show_first_attempt() {
  if [ -s "$first_attempt_log" ]; then
    echo "setup: the first install attempt, before the system packages, said:" >&2
    tail -n 60 "$first_attempt_log" >&2
  fi
}

install_canvas_build_packages() {
  if ! command -v apt-get >/dev/null 2>&1; then
    show_first_attempt
    echo "setup: node-canvas (which draws the plots) has to be built from source here and needs Cairo and Pango development files." >&2
    echo "Install them (see https://github.com/Automattic/node-canvas#compiling), then run this again." >&2
    exit 1
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "setup: installing Cairo and Pango development packages with apt-get: node-canvas, which draws the plots, has no prebuilt binary for this machine and must be built ($(IFS=' '; echo "${canvas_build_packages[*]}"))"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${canvas_build_packages[@]}" >/dev/null
}

# The npm install after the system packages are in: its failure is a real one, shown with the first attempt's.
install_again() {
  if ! "$@"; then
    show_first_attempt
    echo "setup: npm could not install the packages even with the system packages in place (see above)." >&2
    exit 1
  fi
}

echo "setup: installing the npm packages (TensorFlow.js, jest, node-canvas for the plots)..."
if ! pkg-config --exists cairo pangocairo 2>/dev/null; then
  # Without the dev packages canvas' from-source build fails and takes the whole
  # install with it; that failure is expected, so its output goes to the log.
  if ! "${install[@]}" >"$first_attempt_log" 2>&1; then
    install_canvas_build_packages
    install_again "${install[@]}"
  fi
else
  install_again "${install[@]}"
fi

if ! canvas_loads; then
  install_canvas_build_packages
  install_again npm rebuild canvas
fi
canvas_loads || { show_first_attempt; echo "setup: node-canvas still does not load" >&2; exit 1; }
echo "setup: done. $(node -e "const b = require('./lib/load-tf'); console.log(b.describeBackend(b.loadTf().choice))")"
