#!/usr/bin/env bash
# Lighthouse 12 on the article page with mobile emulation (its default), driving
# Debian's Chromium, as README.md's Measurements table reports it. Builds the site into
# target/lighthouse/dist with --site-url set to the local address (so the canonical
# URL is the page's own), serves it with the precompressed .br/.gz copies a host would
# send, and prints each category's score and the cumulative layout shift.
#
#   bench/lighthouse.sh [RUNS]      # default 3 runs; reports in target/lighthouse/
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
PORT=${PORT:-8765}
TOOLS=target/lighthouse
URL="http://127.0.0.1:$PORT/"

command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }
command -v npm >/dev/null || { apt-get update && apt-get install -y npm; }
mkdir -p "$TOOLS"
if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ] || [ ! -x "$TOOLS/node_modules/.bin/http-server" ]; then
  [ -f "$TOOLS/package.json" ] || echo '{"private": true}' > "$TOOLS/package.json"
  (cd "$TOOLS" && npm install --no-audit --no-fund lighthouse@12 http-server@14)
fi

cargo build --release
target/release/explainer build --out "$TOOLS/dist" --site-url "$URL"

"$TOOLS/node_modules/.bin/http-server" "$TOOLS/dist" -a 127.0.0.1 -p "$PORT" --brotli --gzip -s &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 1

for run in $(seq 1 "$RUNS"); do
  PROFILE=$(mktemp -d)
  CHROME_PATH=/usr/bin/chromium "$TOOLS/node_modules/.bin/lighthouse" "$URL" \
    --quiet --output=json --output=html --output-path="$TOOLS/report-$run" \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync --user-data-dir=$PROFILE"
  rm -rf "$PROFILE"
  node -e '
    const r = require(process.argv[1]);
    const c = r.categories, a = r.audits;
    const score = (k) => Math.round(c[k].score * 100);
    console.log(`run ${process.argv[2]}: performance ${score("performance")}, accessibility ${score("accessibility")}, ` +
      `best practices ${score("best-practices")}, SEO ${score("seo")}, CLS ${a["cumulative-layout-shift"].numericValue.toFixed(3)}, ` +
      `FCP ${a["first-contentful-paint"].displayValue}, LCP ${a["largest-contentful-paint"].displayValue}, TBT ${a["total-blocking-time"].displayValue}`);
    for (const [k, cat] of Object.entries(c))
      for (const ref of cat.auditRefs)
        if (ref.weight > 0 && a[ref.id].score !== null && a[ref.id].score < 1 && k !== "performance")
          console.log(`  ${k}: ${ref.id}: ${a[ref.id].title}`);
  ' "$PWD/$TOOLS/report-$run.report.json" "$run"
done
