#!/usr/bin/env bash
# Scale-out without sticky sessions (issue 5, point 9).
#
# Two replicas of the sentiment example server in stateless mode, sharing one
# SAMPLEGEN_STATE_KEY, behind nginx balancing round-robin with no affinity,
# all on loopback; then loadclient makes CALLS concurrent multi round-trip
# tool calls through nginx (go-sdk clients, protocol 2026-07-28, three round
# trips each) and checks every answer. Prints calls, failures, p50/p99
# latency, and the requests each replica served from nginx's access log.
#
#   bash bench/scaleout/run.sh [CALLS]        (default 200)
#
# Needs go and nginx (Debian: apt-get install nginx); nginx runs as the
# current user from a config in a temporary directory. Every step is bounded
# in time; the replicas and nginx are stopped on exit, whatever happens.
# Exits non-zero if any call failed or got a wrong answer, or if the load did
# not reach both replicas.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

CALLS=${1:-200}
STARTUP_SECONDS=15     # for each replica and for nginx to listen
LOAD_SECONDS=180       # for the whole load run

command -v nginx >/dev/null || { echo "scaleout: nginx is not on PATH (Debian: apt-get install nginx)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/samplegen-scaleout.XXXXXX")
pids=()
cleanup() {
	local status=$?
	# Only the processes this script started, by their ids: TERM, then KILL
	# whatever has not gone within a few seconds.
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for _ in $(seq 50); do
		local alive=0
		for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
		((alive)) || break
		sleep 0.1
	done
	for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if ((status != 0)); then
		for f in "$tmp"/replica-*.log "$tmp"/nginx-error.log; do
			[[ -s $f ]] && { echo "--- $f" >&2; tail -n 40 "$f" >&2; }
		done
	fi
	rm -rf "$tmp"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "scaleout: building the sentiment server and the load client"
timeout 300 go build -o "$tmp/server" ./examples/sentiment/server
timeout 300 go build -o "$tmp/loadclient" ./bench/scaleout/loadclient

# One key for both replicas: a round trip signed by one must verify on the other.
SAMPLEGEN_STATE_KEY=$(head -c 32 /dev/urandom | base64)
export SAMPLEGEN_STATE_KEY

# start_replica N: starts replica N on a free loopback port, sets $addr to
# its HOST:PORT once it prints where it listens.
start_replica() {
	local log="$tmp/replica-$1.log"
	"$tmp/server" -http 127.0.0.1:0 -stateless 2>"$log" &
	pids+=($!)
	local pid=$!
	for _ in $(seq $((STARTUP_SECONDS * 10))); do
		addr=$(grep -o 'serving Streamable HTTP on http://127\.0\.0\.1:[0-9]*' "$log" | sed 's|.*http://||' || true)
		[[ -n $addr ]] && return 0
		kill -0 "$pid" 2>/dev/null || { echo "scaleout: replica $1 exited" >&2; return 1; }
		sleep 0.1
	done
	echo "scaleout: replica $1 did not listen within ${STARTUP_SECONDS}s" >&2
	return 1
}
start_replica 1; replica1=$addr
start_replica 2; replica2=$addr
echo "scaleout: replicas on $replica1 and $replica2"

# listening HOST PORT: whether something accepts connections there.
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# nginx cannot be told to pick a port and say which, so pick a free-looking
# one and try again if another process takes it first.
user_directive=""
if ((EUID == 0)); then
	# As root nginx would run its workers as nobody; keep them as this user.
	user_directive="user $(id -un) $(id -gn);"
fi
nginx_pid=""
for attempt in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 40000))
	listening 127.0.0.1 "$port" && continue
	mkdir -p "$tmp/nginx"
	cat >"$tmp/nginx.conf" <<CONF
$user_directive
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 2048; }
http {
	log_format upstream '\$upstream_addr \$status \$request_method \$request_time';
	access_log $tmp/access.log upstream;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;

	# Round-robin (nginx's default), no ip_hash, no hash, no sticky: any
	# request may go to either replica.
	upstream replicas {
		server $replica1;
		server $replica2;
		keepalive 64;
	}
	server {
		listen 127.0.0.1:$port;
		location /mcp {
			proxy_pass http://replicas;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			# Pass on the loopback Host the client used: the replicas keep
			# DNS-rebinding protection on, and nginx's own upstream name
			# would be refused.
			proxy_set_header Host \$http_host;
			# Responses may be event streams; pass them through as they come.
			proxy_buffering off;
			proxy_read_timeout 120s;
			# Name the replica that served each request, for loadclient.
			add_header X-Upstream \$upstream_addr always;
		}
	}
}
CONF
	nginx -e "$tmp/nginx-error.log" -p "$tmp/nginx" -c "$tmp/nginx.conf" &
	nginx_pid=$!
	pids+=("$nginx_pid")
	for _ in $(seq $((STARTUP_SECONDS * 10))); do
		kill -0 "$nginx_pid" 2>/dev/null || break
		listening 127.0.0.1 "$port" && break 2
		sleep 0.1
	done
	if kill -0 "$nginx_pid" 2>/dev/null; then
		echo "scaleout: nginx did not listen on 127.0.0.1:$port within ${STARTUP_SECONDS}s" >&2
		exit 1
	fi
	echo "scaleout: nginx could not use port $port (attempt $attempt); trying another" >&2
	nginx_pid=""
done
[[ -n $nginx_pid ]] || { echo "scaleout: nginx did not start" >&2; exit 1; }
url="http://127.0.0.1:$port/mcp"
echo "scaleout: nginx on $url, round-robin over both replicas"

echo "scaleout: $CALLS concurrent calls"
timeout "$LOAD_SECONDS" "$tmp/loadclient" -url "$url" -calls "$CALLS" -timeout "$((LOAD_SECONDS - 10))s"

# nginx's own account of where the requests went (all requests, including
# each client's server/discover).
echo "scaleout: requests per replica, from nginx's access log:"
awk '{print $1}' "$tmp/access.log" | sort | uniq -c | sed 's/^/  /'
for r in "$replica1" "$replica2"; do
	n=$(awk -v r="$r" '$1 == r' "$tmp/access.log" | wc -l)
	if ((n == 0)); then
		echo "scaleout: replica $r served no request" >&2
		exit 1
	fi
done
bad=$(awk '$2 !~ /^2/' "$tmp/access.log" | wc -l)
if ((bad > 0)); then
	echo "scaleout: $bad requests got a non-2xx status:" >&2
	awk '$2 !~ /^2/' "$tmp/access.log" | sort | uniq -c | head >&2
	exit 1
fi
echo "scaleout: ok"
