#!/usr/bin/env bash
# Sourced by the shell tests: `check <name> <command...>` counts a command that fails, and
# `finish <suite>` ends the test with the count (exit 1 when any check failed).
failures=0

check() { # <name> <command...>: the command must succeed
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

finish() { # <suite name>
  if [[ $failures -gt 0 ]]; then
    echo "$1: $failures check(s) failed" >&2
    exit 1
  fi
  echo "$1: all checks passed"
}
