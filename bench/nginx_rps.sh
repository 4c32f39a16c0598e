#!/usr/bin/env bash
# A sanity figure for hosting (issue 15): requests a second nginx serves for the article
# page over loopback with deploy/nginx.conf, brotli copy accepted, one wrk thread and 16
# connections for 10 s, with nginx's one worker process. Uses Debian's nginx,
# libnginx-mod-http-brotli-static and wrk (installed when missing).
#
#   bench/nginx_rps.sh          # builds dist/ first
set -euo pipefail
cd "$(dirname "$0")/.."

for pkg in nginx libnginx-mod-http-brotli-static wrk; do
  dpkg -s "$pkg" >/dev/null 2>&1 || { apt-get update && apt-get install -y "$pkg"; }
done
cargo build --release
target/release/explainer build >/dev/null

DIR=$(mktemp -d)
PORT=${PORT:-8797}
mkdir -p "$DIR/tmp"
sed -e "s|listen 80;|listen 127.0.0.1:$PORT;|" -e "s|root /srv/explainer/dist;|root $PWD/dist;|" \
  deploy/nginx.conf > "$DIR/site.conf"
cat > "$DIR/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $DIR/tmp/body; proxy_temp_path $DIR/tmp/proxy;
  fastcgi_temp_path $DIR/tmp/fastcgi; uwsgi_temp_path $DIR/tmp/uwsgi; scgi_temp_path $DIR/tmp/scgi;
  include $DIR/site.conf;
}
EOF
nginx -c "$DIR/nginx.conf" -p "$DIR" -g "daemon off;" &
NGINX=$!
trap 'kill $NGINX; rm -rf "$DIR"' EXIT
sleep 1
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t1 -c16 -d10s -H "Accept-Encoding: br" "http://127.0.0.1:$PORT/index.html" | grep -E "Requests/sec|Transfer/sec|Latency"
