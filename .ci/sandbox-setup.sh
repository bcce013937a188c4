#!/usr/bin/env bash
# Makes bubblewrap (the grader's sandbox) usable: installs it and, where AppArmor
# restricts unprivileged user namespaces (Ubuntu 24.04, GitHub's ubuntu-latest),
# loads Ubuntu's own bwrap-userns-restrict profile (package apparmor-profiles,
# loaded by default from 25.04 on), which lets bwrap create them and keeps the
# restriction for everything else. Ends by checking that a sandbox starts.
# Used by the instructor's grading workflow (npm run classroom:instructor).
set -euo pipefail

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
apt_install() {
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

command -v bwrap >/dev/null || apt_install bubblewrap
if [ "$(cat /proc/sys/kernel/apparmor_restrict_unprivileged_userns 2>/dev/null)" = 1 ] && ! bwrap --unshare-all --ro-bind / / true 2>/dev/null; then
  [ -f /usr/share/apparmor/extra-profiles/bwrap-userns-restrict ] || apt_install apparmor-profiles
  "${sudo[@]}" install -m 0644 /usr/share/apparmor/extra-profiles/bwrap-userns-restrict /etc/apparmor.d/bwrap-userns-restrict
  "${sudo[@]}" apparmor_parser -r /etc/apparmor.d/bwrap-userns-restrict
fi
bwrap --unshare-all --die-with-parent --ro-bind / / true || {
  echo "sandbox-setup: bubblewrap still cannot create a sandbox here (user namespaces disabled?)" >&2
  exit 1
}
echo "sandbox-setup: bubblewrap works"
