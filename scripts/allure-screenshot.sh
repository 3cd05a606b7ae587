#!/usr/bin/env bash
# Builds the Allure HTML report from the last run (running the suite first if there is none),
# serves it on 127.0.0.1 and saves what headless Chromium shows: REPORTS/allure-screenshot.png
# (environment and the tree of areas) and, when a scenario failed, REPORTS/allure-failure.png
# (the first failed scenario with its message trace opened).
# Usage: scripts/allure-screenshot.sh [REPORTS_DIR]   (default ./reports)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
reports="$(realpath -m "${1:-reports}")"
cli="$root/bin/kbus-conformance.js"

command -v chromium >/dev/null || { echo "chromium is not installed: apt-get install -y chromium" >&2; exit 2; }
# A failing run still leaves results to look at.
[ -d "$reports/allure-results" ] || node "$cli" --quiet --reports "$reports" || true
node "$cli" report --reports "$reports"
site="$reports/allure-report"

# The report is one file that opens from file:// too; served over http, the DevTools script below can reach it the same way.
coproc SERVER {
  exec node -e '
    const http = require("node:http"), fs = require("node:fs"), path = require("node:path");
    const dir = process.argv[1];
    const types = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml" };
    const server = http.createServer((req, res) => {
      const file = path.join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/\/$/, "/index.html"));
      if (!file.startsWith(dir) || !fs.existsSync(file)) return res.writeHead(404).end();
      res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, "127.0.0.1", () => console.log(server.address().port));
  ' "$site"
}
server=$SERVER_PID
profile="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$profile"' EXIT
read -r port <&"${SERVER[0]}"

shoot() { # URL PNG
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1600,1200 \
    --virtual-time-budget=15000 --screenshot="$2" "$1" 2>/dev/null
  echo "screenshot: $2"
}
shoot "http://127.0.0.1:$port/" "$reports/allure-screenshot.png"

failed="$(node -e '
  const byId = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).byId;
  const t = Object.values(byId).find((t) => t.status === "failed");
  if (t) console.log(t.id);
' "$site/test-results.json")"
# Opening the trace takes a click, so this one is driven over the DevTools protocol.
[ -z "$failed" ] || node --experimental-websocket --no-warnings "$root/scripts/allure-trace-screenshot.js" \
  "http://127.0.0.1:$port/#/$failed/attachments" "$reports/allure-failure.png" "$profile"
