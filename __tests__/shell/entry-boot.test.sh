#!/usr/bin/env bash
# Tests the checksum verification of entry/boot.sh (install_caddy) against a fake release served
# from local files (file://, the only protocol the test allows): a good archive installs; a
# tampered archive, a checksums file that does not list it, a pinned SHA-512 that differs, a missing
# pin and a malformed version are refused, and nothing is installed then. Also checks the script
# never turns on tracing (it would log the DuckDNS token), that the committed pin
# (entry/caddy-release.json) is well formed and accepted by the script, and what the instance's
# watchdog does on failed checks and without a certificate. Run: npm run test:entry
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
pass() { printf 'ok   %s\n' "$1"; }
fail() { printf 'FAIL %s\n' "$1"; failures=$((failures + 1)); }

# The committed pin: its version names the fake release, so the test runs the pinned file names.
pin=entry/caddy-release.json
pin_field() { node -e 'const value = require("./" + process.argv[1])[process.argv[2]]; if (typeof value === "string") console.log(value);' "$pin" "$1"; }
version=$(pin_field version)
pinned_sha512=$(pin_field linux_arm64_sha512)
if [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then pass "$pin: version $version is x.y.z"; else fail "$pin: version \"$version\" is not x.y.z"; version=0.0.0; fi
if [[ $pinned_sha512 =~ ^[0-9a-f]{128}$ ]]; then pass "$pin: linux_arm64_sha512 is 128 hex digits"; else fail "$pin: linux_arm64_sha512 \"$pinned_sha512\" is not 128 hex digits"; fi
if [[ $(pin_field source) == *"caddy_${version}_linux_arm64.tar.gz"* ]]; then pass "$pin: source names the archive it hashed"; else fail "$pin: source does not name caddy_${version}_linux_arm64.tar.gz"; fi
archive="caddy_${version}_linux_arm64.tar.gz"
release="$work/releases/v$version"
mkdir -p "$release" "$work/build"
printf '#!/bin/sh\necho "fake caddy %s"\n' "$version" >"$work/build/caddy"
chmod +x "$work/build/caddy"
tar -czf "$release/$archive" -C "$work/build" caddy
good_sum=$(sha512sum "$release/$archive" | cut -d' ' -f1)
# Published checksums files list every asset of the release, one "<sha512>  <name>" per line.
printf '%s  caddy_%s_linux_amd64.tar.gz\n%s  %s\n' "$(printf 'a%.0s' {1..128})" "$version" "$good_sum" "$archive" >"$release/caddy_${version}_checksums.txt"

# run_install VERSION PINNED_SHA512 [BASE_URL PROTOCOLS]: install_caddy of entry/boot.sh in a child
# bash into a fresh folder; prints its log.
run_install() {
  rm -rf "${work:?}/bin" && mkdir -p "$work/bin"
  env BOOT_SOURCE_ONLY=1 BOOT_RELEASE_BASE_URL="${3:-file://$work/releases}" BOOT_ALLOWED_PROTOCOLS="${4:-=file}" \
    BOOT_INSTALL_DIR="$work/bin" BOOT_CADDY_VERSION="$1" BOOT_CADDY_SHA512="$2" \
    bash -c 'source entry/boot.sh && install_caddy' 2>&1
}

# expect_refused NAME MESSAGE VERSION PIN
expect_refused() {
  local output
  if output=$(run_install "$3" "$4"); then fail "$1: installed ($output)"; return; fi
  if [[ $output != *"$2"* ]]; then fail "$1: message \"$output\" lacks \"$2\""; return; fi
  if [[ -e $work/bin/caddy ]]; then fail "$1: caddy was installed anyway"; return; fi
  pass "$1"
}

if output=$(run_install "$version" "$good_sum") && [[ $("$work/bin/caddy") == "fake caddy $version" ]] && [[ $output == *"checksum verified"* ]]; then
  pass "a release matching the pin and its checksums file installs"
else
  fail "a good release did not install: $output"
fi

expect_refused "no pinned SHA-512" "BOOT_CADDY_SHA512 must be" "$version" ""
expect_refused "a malformed version" "is not a release version" "v$version" "$good_sum"
expect_refused "a pinned SHA-512 of another archive" "does not match the SHA-512 pinned" "$version" "$(printf 'b%.0s' {1..128})"
expect_refused "a version with no release" "download of caddy_0.0.1_linux_arm64.tar.gz" "0.0.1" "$good_sum"
# The committed pin passes the script's own checks (the refusal comes after them) and its hash, which
# is the real release's, refuses the fake archive.
expect_refused "the committed pin, against an archive that is not the release's" "does not match the SHA-512 pinned" "$version" "$pinned_sha512"

cp "$release/$archive" "$work/original.tar.gz"
printf 'tampered' >>"$release/$archive"
expect_refused "a tampered archive" "does not match the release's published checksum" "$version" "$good_sum"
cp "$work/original.tar.gz" "$release/$archive"

cp "$release/caddy_${version}_checksums.txt" "$work/sums"
grep -v "$archive" "$work/sums" >"$release/caddy_${version}_checksums.txt"
expect_refused "a checksums file that does not list the archive" "does not list $archive" "$version" "$good_sum"
cp "$work/sums" "$release/caddy_${version}_checksums.txt"

# HTTPS only by default: the same good release, from a file:// URL, with the script's default
# protocols (BOOT_ALLOWED_PROTOCOLS unset), is refused and nothing is installed.
rm -rf "${work:?}/bin" && mkdir -p "$work/bin"
if output=$(env -u BOOT_ALLOWED_PROTOCOLS BOOT_SOURCE_ONLY=1 BOOT_RELEASE_BASE_URL="file://$work/releases" BOOT_INSTALL_DIR="$work/bin" \
  BOOT_CADDY_VERSION="$version" BOOT_CADDY_SHA512="$good_sum" bash -c 'source entry/boot.sh && install_caddy' 2>&1) || [[ -e $work/bin/caddy ]]; then
  fail "a non-HTTPS download was accepted: $output"
else
  pass "downloads are HTTPS-only by default"
fi

# The watchdog (write_watchdog), run with fake systemctl and aws commands: a dead Caddy is restarted
# at the 3rd failed check and the instance marked unhealthy at the 6th; a Caddy that answers on its
# HTTP port only (no certificate yet: before the name points at the entry) counts as alive, so a
# missing certificate never starts a replacement loop.
free_port() { node -e 'const server = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(server.address().port); server.close(); });'; }
https_port=$(free_port)
http_port=$(free_port)
mkdir -p "$work/fakebin" "$work/units"
for command in systemctl aws; do
  printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$command" "$work/calls" >"$work/fakebin/$command"
  chmod +x "$work/fakebin/$command"
done
env BOOT_SOURCE_ONLY=1 BOOT_WATCHDOG_PATH="$work/watchdog" BOOT_SYSTEMD_DIR="$work/units" BOOT_WATCHDOG_STATE="$work/failures" \
  ENTRY_SITE_ADDRESS=localhost ENTRY_HTTPS_PORT="$https_port" ENTRY_HTTP_PORT="$http_port" INSTANCE_ID=i-0123456789abcdef0 \
  bash -c 'source entry/boot.sh && write_watchdog'
watch() { PATH="$work/fakebin:$PATH" "$work/watchdog" 2>/dev/null; }
calls() { cat "$work/calls" 2>/dev/null; }

for _ in 1 2; do watch || true; done
if [[ -z $(calls) && $(cat "$work/failures") == 2 ]]; then pass "watchdog: 2 failed checks count and do nothing yet"; else fail "watchdog after 2 failures: $(calls)"; fi
watch || true
if [[ $(calls) == "systemctl restart caddy" ]]; then pass "watchdog: the 3rd failed check restarts Caddy"; else fail "watchdog after 3 failures: $(calls)"; fi
for _ in 4 5 6; do watch || true; done
if [[ $(calls | tail -n 1) == "aws autoscaling set-instance-health --instance-id i-0123456789abcdef0 --health-status Unhealthy" ]]; then
  pass "watchdog: the 6th failed check marks the instance unhealthy"
else
  fail "watchdog after 6 failures: $(calls)"
fi
if grep -q "ExecStart=$work/watchdog" "$work/units/entry-watchdog.service" && grep -q 'OnUnitActiveSec=30' "$work/units/entry-watchdog.timer"; then
  pass "watchdog: a systemd timer runs it every 30 s"
else
  fail "watchdog units: $(cat "$work/units/"*)"
fi

# Caddy without a certificate: the HTTPS port refuses the handshake, the HTTP port redirects.
node -e 'require("http").createServer((_request, response) => { response.writeHead(308, { Location: "https://localhost/" }); response.end(); }).listen(Number(process.argv[1]), "127.0.0.1");' "$http_port" &
http_server=$!
for _ in $(seq 50); do curl --silent --output /dev/null "http://127.0.0.1:$http_port/" && break; sleep 0.1; done
: >"$work/calls"
if watch && [[ $(cat "$work/failures") == 0 && -z $(calls) ]]; then
  pass "watchdog: Caddy answering on HTTP only (no certificate yet) is alive: count reset, nothing restarted or replaced"
else
  fail "watchdog with HTTP only: failures $(cat "$work/failures"), calls $(calls)"
fi
kill "$http_server"

# The real-run test's own guard: a caddy of another version than the pin is refused before any
# check (exit 2), with the command that builds the pinned one.
printf '#!/bin/sh\necho "path\tgithub.com/caddyserver/caddy/v2/cmd/caddy"\necho "mod\tgithub.com/caddyserver/caddy/v2\tv0.0.1\th1:x"\n' >"$work/fakebin/caddy"
chmod +x "$work/fakebin/caddy"
status=0
output=$(CADDY="$work/fakebin/caddy" node scripts/run-ts.js __tests__/entry/caddy-entry.ts 2>&1) || status=$?
if [[ $status == 2 && $output == *"caddy v0.0.1, not the pinned $version"* && $output == *"go install github.com/caddyserver/caddy/v2/cmd/caddy@v$version"* ]]; then
  pass "npm run test:entry refuses a caddy of another version than the pin, naming the command that builds it"
else
  fail "test:entry with caddy v0.0.1: exit $status, $output"
fi

if grep -nE '^[^#]*set -[a-z]*x|set -o xtrace' entry/boot.sh; then fail "entry/boot.sh turns on tracing"; else pass "entry/boot.sh never turns on tracing"; fi
if grep -nE 'token=\$\{?token|--token' entry/boot.sh | grep -v 'printf'; then fail "the DuckDNS token appears on a command line"; else pass "the DuckDNS token only reaches curl through its standard input"; fi

if ((failures > 0)); then echo "$failures failure(s)"; exit 1; fi
echo "all boot-script checks passed"
