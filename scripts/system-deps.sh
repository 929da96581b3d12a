#!/usr/bin/env bash
# Installs the system packages the tests drive (real browsers), when they are missing.
# Debian/Ubuntu as root: apt-get installs them. Elsewhere: says exactly what to install, and fails.
set -euo pipefail

needed=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || needed+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || [ -n "${FIREFOX_PATH:-}" ] || needed+=(firefox-esr)
# coturn ships turnutils_stunclient / turnutils_uclient: real STUN/TURN clients the TURN tests run against.
command -v turnutils_uclient >/dev/null 2>&1 || needed+=(coturn)
# certutil puts the tests' own CA into the browsers' certificate stores (TURN over TLS must be trusted).
command -v certutil >/dev/null 2>&1 || needed+=(libnss3-tools)
# ffprobe/ffmpeg read the recordings the browsers write (streams, duration, a frame decoded after a seek).
command -v ffprobe >/dev/null 2>&1 || needed+=(ffmpeg)
# A Chinese font, so the zh-CN screens the tests look at show characters, not empty boxes.
if command -v dpkg-query >/dev/null 2>&1; then
  dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q 'ok installed' || needed+=(fonts-wqy-microhei)
  # Colour emoji, so reactions in screenshots show as emoji.
  dpkg-query -W -f='${Status}' fonts-noto-color-emoji 2>/dev/null | grep -q 'ok installed' || needed+=(fonts-noto-color-emoji)
fi

# Wanted but not needed by the tests: Janus, the SFU the SFU benchmark (BENCH=sfu) runs ours beside.
wanted=()
command -v janus >/dev/null 2>&1 || wanted+=(janus)

if [ ${#needed[@]} -eq 0 ] && [ ${#wanted[@]} -eq 0 ]; then
  exit 0
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing system packages for the tests and benchmarks: ${needed[*]} ${wanted[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${needed[@]}" "${wanted[@]}" fonts-dejavu-core >/dev/null
  exit 0
fi

if [ ${#needed[@]} -eq 0 ]; then
  echo "Not installed: ${wanted[*]} (BENCH=sfu then measures only our SFU)." >&2
  exit 0
fi

cat >&2 <<MSG
The tests drive real browsers and coturn's test clients, and need these system packages: ${needed[*]}
  Debian/Ubuntu (as root):  apt-get install -y ${needed[*]}
  Other systems: install Chromium, Firefox ESR, coturn (for turnutils_*) NSS tools (certutil), FFmpeg (ffprobe) and a Chinese font (WenQuanYi Micro Hei) and a colour emoji font (Noto Color Emoji), then point the tests at the browsers with
    CHROMIUM_PATH=/path/to/chromium FIREFOX_PATH=/path/to/firefox npm test
MSG
exit 1
