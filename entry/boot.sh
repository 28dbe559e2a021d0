#!/usr/bin/env bash
# Boot script of the public entry's instance (docs/public-entry.md), run once by cloud-init as root
# on Amazon Linux 2023 (arm64). The user data sets the BOOT_* and ENTRY_* variables below, then runs
# this file; it holds NO secret: the DuckDNS token is read here, from SSM, into a variable only.
#
#   BOOT_CADDY_VERSION            pinned Caddy release, x.y.z (no "v"): entry/caddy-release.json's version
#   BOOT_CADDY_SHA512             SHA-512 of caddy_<version>_linux_arm64.tar.gz: the same file's
#                                 linux_arm64_sha512, from the release's caddy_<version>_checksums.txt
#   BOOT_EIP_ALLOCATION_ID        the entry's Elastic IP, associated to this instance at boot
#   BOOT_DUCKDNS_TOKEN_PARAMETER  SSM SecureString holding the DuckDNS token (empty: not DuckDNS)
#   BOOT_LOG_GROUP                CloudWatch log group of the entry (/city-guided/<env>/entry)
#   ENTRY_*                       Caddy's settings (entry/Caddyfile's header); written to its environment
# The Caddyfile and the pages are written by cloud-init to /etc/caddy/ before this runs.
#
# Never `set -x` here: it would print the token to the boot log, which goes to CloudWatch.
set -Eeuo pipefail
umask 077

RELEASES=${BOOT_RELEASE_BASE_URL:-https://github.com/caddyserver/caddy/releases/download}
# Downloads over HTTPS only (the local test uses file://).
PROTOCOLS=${BOOT_ALLOWED_PROTOCOLS:-=https}
INSTALL_DIR=${BOOT_INSTALL_DIR:-/usr/local/bin}
ARCH=${BOOT_ARCH:-arm64}

log() { printf 'entry-boot: %s\n' "$*" >&2; }
# A boot that fails leaves no entry: the instance marks itself unhealthy and the Auto Scaling group
# replaces it (INSTANCE_ID is unset when the local test sources this file).
fail() {
  log "FAILED: $*"
  if [[ -n ${INSTANCE_ID:-} ]]; then aws autoscaling set-instance-health --instance-id "$INSTANCE_ID" --health-status Unhealthy || true; fi
  exit 1
}

fetch() { curl --fail --silent --show-error --location --proto "$PROTOCOLS" --proto-redir "$PROTOCOLS" --retry 5 --max-time 120 --output "$2" "$1"; }

# Downloads the pinned Caddy release and installs it only if the archive matches both the SHA-512
# committed with the pin and the release's published checksums file.
install_caddy() {
  local version=${BOOT_CADDY_VERSION:?BOOT_CADDY_VERSION is not set}
  local pinned=${BOOT_CADDY_SHA512:-}
  [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "BOOT_CADDY_VERSION \"$version\" is not a release version x.y.z (no \"v\")"
  [[ $pinned =~ ^[0-9a-f]{128}$ ]] || fail "BOOT_CADDY_SHA512 must be the archive's SHA-512 (128 hex digits), copied from the release's checksums file"
  local archive="caddy_${version}_linux_${ARCH}.tar.gz" sums="caddy_${version}_checksums.txt"
  local work
  work=$(mktemp -d)
  fetch "$RELEASES/v$version/$archive" "$work/$archive" || fail "download of $archive"
  fetch "$RELEASES/v$version/$sums" "$work/$sums" || fail "download of $sums"
  local actual published
  actual=$(sha512sum "$work/$archive" | cut -d' ' -f1)
  published=$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1 }' "$work/$sums")
  [[ -n $published ]] || fail "$sums does not list $archive"
  [[ $actual == "$published" ]] || fail "$archive does not match the release's published checksum"
  [[ $actual == "$pinned" ]] || fail "$archive does not match the SHA-512 pinned with version $version"
  tar -xzf "$work/$archive" -C "$work" caddy
  install -m 0755 "$work/caddy" "$INSTALL_DIR/caddy"
  rm -rf "$work"
  log "caddy $version installed, checksum verified"
}

imds() {
  local token
  token=$(curl --fail --silent -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 300" http://169.254.169.254/latest/api/token)
  curl --fail --silent -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# The boot log (cloud-init's output of this script) and Caddy's log to CloudWatch, first, so that a
# failing boot is visible there. The agent is Amazon Linux's package (signed repository, pinned with
# the AMI's release).
ship_logs() {
  dnf install -y -q amazon-cloudwatch-agent
  install -d -m 0750 /var/log/caddy
  cat >/opt/aws/amazon-cloudwatch-agent/etc/entry.json <<CONFIG
{"logs": {"logs_collected": {"files": {"collect_list": [
  {"file_path": "/var/log/cloud-init-output.log", "log_group_name": "$BOOT_LOG_GROUP", "log_stream_name": "{instance_id}/boot"},
  {"file_path": "/var/log/caddy/caddy.log", "log_group_name": "$BOOT_LOG_GROUP", "log_stream_name": "{instance_id}/caddy"}
]}}}}
CONFIG
  /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/entry.json
}

associate_address() {
  aws ec2 associate-address --allocation-id "$BOOT_EIP_ALLOCATION_ID" --instance-id "$INSTANCE_ID" --allow-reassociation --output text >/dev/null
  log "Elastic IP $BOOT_EIP_ALLOCATION_ID associated"
}

# Sets the DuckDNS record to the Elastic IP. The token goes to curl on its standard input (a curl
# config), never on a command line (visible in ps), in a file or in the log.
update_duckdns() {
  [[ -n ${BOOT_DUCKDNS_TOKEN_PARAMETER:-} ]] || return 0
  local domain=${ENTRY_SITE_ADDRESS%.duckdns.org} address token answer
  address=$(aws ec2 describe-addresses --allocation-ids "$BOOT_EIP_ALLOCATION_ID" --query 'Addresses[0].PublicIp' --output text)
  token=$(aws ssm get-parameter --name "$BOOT_DUCKDNS_TOKEN_PARAMETER" --with-decryption --query Parameter.Value --output text)
  answer=$(printf 'url = "https://www.duckdns.org/update?domains=%s&token=%s&ip=%s"\n' "$domain" "$token" "$address" | curl --fail --silent --proto =https --max-time 30 --config -) || answer="request failed"
  unset token
  [[ $answer == OK ]] || fail "DuckDNS did not accept the update for $domain ($answer)"
  log "DuckDNS $domain -> $address"
}

write_caddy_service() {
  id caddy >/dev/null 2>&1 || useradd --system --home-dir /var/lib/caddy --create-home --shell /sbin/nologin caddy
  install -d -o caddy -g caddy -m 0750 /var/lib/caddy
  chown caddy:caddy /var/log/caddy
  env | grep '^ENTRY_' | sort >/etc/caddy/entry.env
  printf 'XDG_DATA_HOME=/var/lib/caddy\nXDG_CONFIG_HOME=/var/lib/caddy\n' >>/etc/caddy/entry.env
  chmod 0640 /etc/caddy/entry.env && chgrp caddy /etc/caddy/entry.env
  cat >/etc/systemd/system/caddy.service <<'UNIT'
[Unit]
Description=Public entry (Caddy)
After=network-online.target
Wants=network-online.target
[Service]
User=caddy
EnvironmentFile=/etc/caddy/entry.env
ExecStart=/usr/local/bin/caddy run --config /etc/caddy/Caddyfile --adapter caddyfile
Restart=always
RestartSec=1
AmbientCapabilities=CAP_NET_BIND_SERVICE
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ReadWritePaths=/var/lib/caddy /var/log/caddy
StandardOutput=append:/var/log/caddy/caddy.log
StandardError=append:/var/log/caddy/caddy.log
[Install]
WantedBy=multi-user.target
UNIT
}

# Every 30 s: the entry's own health, on this machine (never through the load balancer). 3 failures
# in a row restart Caddy; 6 mark the instance unhealthy, and the Auto Scaling group replaces it.
# Caddy is alive when its HTTPS answers /__entry/health, or, while it has no certificate (before the
# name points at this entry, or while the CA refuses), when its HTTP port answers at all (the redirect):
# a TLS handshake needs a certificate, even with --insecure, and a new instance would not get one
# sooner, so a missing certificate must not start a replacement loop. Paths overridable for the test.
write_watchdog() {
  local watchdog=${BOOT_WATCHDOG_PATH:-/usr/local/bin/entry-watchdog} units=${BOOT_SYSTEMD_DIR:-/etc/systemd/system}
  local state=${BOOT_WATCHDOG_STATE:-/run/entry-watchdog.failures}
  cat >"$watchdog" <<WATCHDOG
#!/usr/bin/env bash
set -uo pipefail
count_file=$state
if curl --fail --silent --insecure --max-time 5 --output /dev/null --resolve "$ENTRY_SITE_ADDRESS:$ENTRY_HTTPS_PORT:127.0.0.1" "https://$ENTRY_SITE_ADDRESS:$ENTRY_HTTPS_PORT/__entry/health" \
  || curl --silent --max-time 5 --output /dev/null --resolve "$ENTRY_SITE_ADDRESS:$ENTRY_HTTP_PORT:127.0.0.1" "http://$ENTRY_SITE_ADDRESS:$ENTRY_HTTP_PORT/__entry/health"; then
  echo 0 >"\$count_file"; exit 0
fi
failures=\$(( \$(cat "\$count_file" 2>/dev/null || echo 0) + 1 ))
echo "\$failures" >"\$count_file"
echo "entry-watchdog: health check failed \$failures time(s)" >&2
if (( failures == 3 )); then systemctl restart caddy; fi
if (( failures >= 6 )); then aws autoscaling set-instance-health --instance-id "$INSTANCE_ID" --health-status Unhealthy; fi
WATCHDOG
  chmod 0755 "$watchdog"
  printf '[Service]\nType=oneshot\nExecStart=%s\n' "$watchdog" >"$units/entry-watchdog.service"
  printf '[Timer]\nOnBootSec=120\nOnUnitActiveSec=30\nAccuracySec=1\n[Install]\nWantedBy=timers.target\n' >"$units/entry-watchdog.timer"
}

main() {
  # Any failing command ends the boot through fail (the line only: a command's text could hold a value).
  trap 'fail "boot step at line $LINENO"' ERR
  INSTANCE_ID=$(imds instance-id)
  AWS_DEFAULT_REGION=$(imds placement/region)
  export AWS_DEFAULT_REGION
  ship_logs || fail "CloudWatch agent"
  install_caddy
  associate_address
  update_duckdns
  write_caddy_service
  write_watchdog
  systemctl daemon-reload
  systemctl enable --now caddy.service entry-watchdog.timer
  log "entry started for $ENTRY_SITE_ADDRESS (mode $ENTRY_MODE)"
}

# Sourced by the local test (BOOT_SOURCE_ONLY=1) to run install_caddy against a fake release.
if [[ ${BOOT_SOURCE_ONLY:-} != 1 ]]; then main "$@"; fi
