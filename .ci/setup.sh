#!/usr/bin/env bash
# Kept for workflows written before the installer became Node
# (tools/instructor/grading/course/instructor-workflow.ts): it runs
# tools/learner/setup.js, which `npm run setup` runs on every system.
exec node "$(dirname "$0")/../tools/learner/setup.js" "$@"
