#!/usr/bin/env bash
# The programs the PDF producer tests print with, from Debian's packages (tests/test_pdf_producers.py): LibreOffice
# Writer without a GUI, Chromium, and the fonts the test layouts use. Chromium also runs the web view's browser
# test (tests/test_web_browser.py), driven by Playwright from the dev extras, which downloads no browser. WeasyPrint comes from the package index (the
# dev extras); it needs Pango, which is here with them. Installs only what is missing; needs root and apt-get.
# A developer's machine without them skips those tests; CI (.ci/run) runs this first, so there they always run.
set -euo pipefail
packages=(libreoffice-writer-nogui chromium fonts-liberation fonts-liberation2 fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "system packages: all present"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "system packages missing (${missing[*]}): run this as root on Debian/Ubuntu, or the PDF producer tests skip" >&2
    exit 1
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
