# A private nginx on 127.0.0.1 for the shell tests that need a real web
# server (tests/depot, tests/depot-trust, the boot-from-depot scenarios,
# the benches) and for `make run` (mk/run.sh). A sourced library, no suite
# of its own: the caller owns a directory and the trap that ends nginx;
# this file only writes there.
#
#   nginx_dir=DIR      set before use: nginx serves DIR/www and keeps its
#                      configuration, logs (DIR/error.log, DIR/access.log),
#                      pid file and, with TLS, the test CA (DIR/ca.crt)
#                      and server certificate in DIR; DIR must be
#                      readable by nginx's worker (mode 755)
#   NGINX_TLS=1        also HTTPS, with a CA made here by openssl
#   NGINX_SERVER=TEXT  more directives inside the server block
#                      (location blocks, limit_rate ...)
#   NGINX_ACCESS_LOG=off   no access log (benches)
#   nginx_setup SEED   makes DIR/www, starts nginx on a port derived from
#                      the caller's pid and SEED (five ports tried), and
#                      waits until it answers with a token of its own, so
#                      that another server on the port cannot pass
#   nginx_start        starts it again after nginx_stop (same port)
#   nginx_stop         kills nginx and all its workers (process group)
#   nginx_http, nginx_https   the base URLs
#
# nginx runs in its own process group (setsid), so that nginx_stop ends
# the workers too; the caller's EXIT trap must call nginx_stop.

# shellcheck disable=SC2154 # nginx_dir is the caller's
nginx_pid=""

nginx_make_certs() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -keyout "$nginx_dir/ca.key" -out "$nginx_dir/ca.crt" -days 2 \
    -subj "/CN=depot test CA" 2>/dev/null &&
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$nginx_dir/server.key" -out "$nginx_dir/server.csr" \
    -subj "/CN=127.0.0.1" 2>/dev/null &&
  printf 'subjectAltName=IP:127.0.0.1\n' > "$nginx_dir/san.ext" &&
  openssl x509 -req -in "$nginx_dir/server.csr" -CA "$nginx_dir/ca.crt" \
    -CAkey "$nginx_dir/ca.key" -CAcreateserial \
    -out "$nginx_dir/server.crt" -days 2 -extfile "$nginx_dir/san.ext" \
    2>/dev/null
}

nginx_write_conf() {
  tls=""
  if [ "${NGINX_TLS:-0}" = 1 ]; then
    tls="listen 127.0.0.1:$https_port ssl;
    ssl_certificate $nginx_dir/server.crt;
    ssl_certificate_key $nginx_dir/server.key;"
  fi
  cat > "$nginx_dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
user $(id -un) $(id -gn);
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log;
events { worker_connections 64; }
http {
  access_log ${NGINX_ACCESS_LOG:-$nginx_dir/access.log};
  client_body_temp_path $nginx_dir/body;
  proxy_temp_path $nginx_dir/proxy;
  fastcgi_temp_path $nginx_dir/fastcgi;
  uwsgi_temp_path $nginx_dir/uwsgi;
  scgi_temp_path $nginx_dir/scgi;
  default_type application/octet-stream;
  sendfile on;
  server {
    listen 127.0.0.1:$http_port;
    $tls
    root $nginx_dir/www;
    ${NGINX_SERVER:-}
  }
}
CONF
}

nginx_stop() {
  if [ -n "$nginx_pid" ]; then
    kill -9 "-$nginx_pid" 2>/dev/null
    wait "$nginx_pid" 2>/dev/null
    nginx_pid=""
  fi
}

nginx_start() {
  setsid nginx -e "$nginx_dir/error.log" -p "$nginx_dir" \
    -c "$nginx_dir/nginx.conf" >/dev/null 2>&1 &
  nginx_pid=$!
  i=0
  while [ $i -lt 100 ]; do
    [ "$(curl -s "http://127.0.0.1:$http_port/ready" 2>/dev/null)" = \
      "$nginx_token" ] && kill -0 "$nginx_pid" 2>/dev/null && return 0
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1; i=$((i + 1))
  done
  nginx_stop
  return 1
}

nginx_setup() {
  command -v nginx > /dev/null || { echo "# nginx is not installed"; return 1; }
  mkdir -p "$nginx_dir/www" || return 1
  nginx_token="nginx-$$-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
  echo "$nginx_token" > "$nginx_dir/www/ready"
  if [ "${NGINX_TLS:-0}" = 1 ]; then nginx_make_certs || return 1; fi
  for attempt in 1 2 3 4 5; do
    http_port=$(( 20000 + ($$ * $1 + attempt * 1031) % 30000 ))
    https_port=$((http_port + 1))
    nginx_write_conf
    nginx_start && return 0
  done
  return 1
}

nginx_http() { echo "http://127.0.0.1:$http_port"; }
nginx_https() { echo "https://127.0.0.1:$https_port"; }
