#!/usr/bin/env bash
# The installed wheel works anywhere: build it from this checkout, install it into a fresh virtual
# environment, and from a directory outside the checkout migrate, load a report and answer saved queries
# on a fresh embedded PostgreSQL. Also checks that nothing but the malbas package lands in site-packages.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/malbas-install-XXXXXX")
chmod 0711 "$work"  # as root the server runs as its own user, which must pass through to the data directory
export MALBAS_DATA_DIR="$work/data"
unset DATABASE_URL
cleanup() {
    [ -x "$work/venv/bin/malbas" ] && "$work/venv/bin/malbas" db stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "build the wheel"
"$root/.venv/bin/python" -m build --wheel --outdir "$work/dist" "$root" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wheel=$(ls "$work"/dist/malbas-*.whl)
echo "$(basename "$wheel")"

step "install it into a fresh virtual environment"
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "$wheel" 2>&1 | grep -v '^WARNING: Location' || true
malbas="$work/venv/bin/malbas"

step "only malbas in site-packages"
others=$("$work/venv/bin/pip" show -f malbas | sed -n '/^Files:/,$p' | tail -n +2 | sed 's/^ *//' \
    | grep -v -e '^malbas/' -e '^malbas-[^/]*\.dist-info/' -e '^\.\./\.\./\.\./bin/malbas$' || true)
if [ -n "$others" ]; then echo "files outside the malbas package:"; echo "$others"; exit 1; fi
echo "ok"

cd "$work"  # outside the checkout from here on
cp "$root/sample_reports/004_ef35c64e421e5e72.txt" "$work/report.txt"

step "malbas db upgrade"
"$malbas" db upgrade
step "malbas load report.txt"
"$malbas" load report.txt
step "malbas query --list"
"$malbas" query --list >"$work/list.txt"
head -3 "$work/list.txt"
[ "$(grep -c '^[a-z]' "$work/list.txt")" -ge 8 ] || { echo "the saved queries are missing"; exit 1; }
step "malbas query malbedomningar -p ar=2021"
"$malbas" query malbedomningar -p ar=2021 --format csv >"$work/answer.csv"
head -3 "$work/answer.csv"
[ "$(wc -l <"$work/answer.csv")" -gt 10 ] || { echo "the saved query returned no rows"; exit 1; }
step "malbas demo (the sample reports shipped in the wheel)"
"$malbas" demo >"$work/demo.txt"
grep -q "^total: 4 files" "$work/demo.txt" || { cat "$work/demo.txt"; echo "the demo did not load the four shipped samples"; exit 1; }
echo "ok"

step "malbas serve (the web view from the wheel: its templates and the Chart.js it ships)"
static=$("$work/venv/bin/python" -c 'import malbas.web, pathlib; print(pathlib.Path(malbas.web.__file__).parent / "static")')
for f in chart.umd.js chart.js-LICENSE.md diagram.js malbas.css; do
    [ -s "$static/$f" ] || { echo "the wheel lacks malbas/web/static/$f"; exit 1; }
done
"$malbas" serve --port 0 >"$work/serve.log" 2>&1 &
serve_pid=$!
port=""
for _ in $(seq 1 60); do
    port=$(sed -n 's|.*serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.log")
    [ -n "$port" ] && break
    sleep 0.5
done
[ -n "$port" ] || { cat "$work/serve.log"; kill "$serve_pid"; echo "malbas serve did not start"; exit 1; }
"$work/venv/bin/python" - "$port" <<'PY' || { kill "$serve_pid"; exit 1; }
import sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
page = urllib.request.urlopen(base + "/jamforelse").read().decode()
assert 'type="application/json" id="jamforelse-data"' in page, "the comparison page has no chart"
assert 'href="/kalla/' in page, "the comparison page links no number to its source"
script = urllib.request.urlopen(base + "/static/chart.umd.js").read()
assert script.startswith(b"/*!\n * Chart.js v4"), "Chart.js is not served from the package"
print("ok: the comparison page and its chart library come from the installed package")
PY
kill "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
