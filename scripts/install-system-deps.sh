#!/usr/bin/env bash
# Installs the Debian packages pantau's tests and lab use, only those missing.
# Services are NOT started here: each test starts its own (influxd, snmpd, victoria-metrics…).
set -euo pipefail
PKGS=(influxdb influxdb-client snmpd snmp fping iputils-ping iptables iproute2 chromium docker-compose onvif-tools victoria-metrics curl util-linux redis-server prometheus-snmp-exporter prometheus-blackbox-exporter systemd)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d stops Debian from auto-starting
# influxd/snmpd as system services (the tests start their own on loopback).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "system packages: installed"
