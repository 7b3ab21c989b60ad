# A private nginx on 127.0.0.1 that serves one directory over HTTP, for
# `make run` (mk/run.sh): sculpt fetches through libdepot, whose libcurl
# setup speaks http and https only, so the published tree must be served.
# A sourced library; the caller owns the directory and the trap that ends
# the server. (tests/lib/nginx.sh is the tests' fuller one, with TLS and
# rate limits; this one keeps to what `make run` needs.)
#
#   serve_dir=DIR   set before use: nginx serves DIR/www and keeps its
#                   configuration, logs and pid file in DIR; DIR must be
#                   readable by nginx's worker (mode 755)
#   serve_start     starts nginx on a port derived from the caller's pid
#                   (five ports tried) and waits until it answers with a
#                   token of its own, so another server on the port cannot
#                   pass; returns 1 when it does not start
#   serve_stop      ends nginx and its worker (its own process group)
#   serve_url       the base URL
#
# shellcheck disable=SC2154 # serve_dir is the caller's
serve_pid=""
serve_port=""

serve_conf() {
  cat > "$serve_dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
user $(id -un) $(id -gn);
pid $serve_dir/nginx.pid;
error_log $serve_dir/error.log;
events { worker_connections 64; }
http {
  access_log $serve_dir/access.log;
  client_body_temp_path $serve_dir/body;
  proxy_temp_path $serve_dir/proxy;
  fastcgi_temp_path $serve_dir/fastcgi;
  uwsgi_temp_path $serve_dir/uwsgi;
  scgi_temp_path $serve_dir/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$serve_port;
    root $serve_dir/www;
  }
}
CONF
}

serve_stop() {
  if [ -n "$serve_pid" ]; then
    # "|| :": a caller with set -e goes on (nginx ends by the signal)
    kill -9 "-$serve_pid" 2>/dev/null || :
    wait "$serve_pid" 2>/dev/null || :
    serve_pid=""
  fi
  return 0
}

serve_try() {
  serve_conf
  setsid nginx -e "$serve_dir/error.log" -p "$serve_dir" \
    -c "$serve_dir/nginx.conf" > /dev/null 2>&1 &
  serve_pid=$!
  i=0
  while [ $i -lt 100 ]; do
    [ "$(curl -s "$(serve_url)/ready" 2>/dev/null)" = "$serve_token" ] &&
      kill -0 "$serve_pid" 2>/dev/null && return 0
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1; i=$((i + 1))
  done
  serve_stop
  return 1
}

serve_start() {
  command -v nginx > /dev/null || { echo "nginx is not installed (make deps)" >&2; return 1; }
  mkdir -p "$serve_dir/www" || return 1
  serve_token="run-$$-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
  echo "$serve_token" > "$serve_dir/www/ready"
  for attempt in 1 2 3 4 5; do
    serve_port=$(( 20000 + ($$ * 7 + attempt * 1031) % 30000 ))
    serve_try && return 0
  done
  return 1
}

serve_url() { echo "http://127.0.0.1:$serve_port"; }
