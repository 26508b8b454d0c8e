#!/usr/bin/env bash
# Scale-out behind nginx, in the two layouts README.md ("Deploying behind a
# load balancer") describes, with the nginx configs it points to:
#
#   bash bench/scaleout/run.sh [CALLS]          stateless layout (default)
#   bash bench/scaleout/run.sh --push [CALLS]   session layout
#
# Stateless (issue 5, point 9): two replicas of the sentiment example server
# with -stateless, sharing one SAMPLEGEN_STATE_KEY, behind nginx balancing
# round-robin with no affinity (deploy/nginx/stateless.conf); loadclient
# makes CALLS concurrent multi round-trip tool calls (go-sdk clients,
# protocol 2026-07-28, three round trips each), some of whose round trips
# must reach different replicas.
#
# Push (--push): two stateful replicas (-http, sessions) behind nginx with
# affinity on Mcp-Session-Id (deploy/nginx/sessions.conf); loadclient makes
# CALLS concurrent calls on protocol 2025-11-25, a session each, where the
# server pushes two sampling requests per call and the client POSTs the
# answers, each of which must reach the replica that asked.
#
# Either way loadclient checks every answer and prints calls, failures,
# p50/p99 latency and per-replica counts; then this script reads nginx's
# access log for the requests each replica served and, with --push, checks
# that no session's requests reached more than one replica, then stops
# replica 1 and checks that a request of one of its sessions gets 404 (on
# which a client initializes again) and a new session goes to replica 2.
#
# The nginx config is the file in deploy/nginx as it is, with the bench's
# loopback addresses put in place of its example ones, included in a small
# nginx.conf of the bench's own (logs, temporary paths). Needs go and nginx
# (Debian: apt-get install nginx); nginx runs as the current user from a
# temporary directory. Every step is bounded in time; the replicas and
# nginx are stopped on exit, whatever happens. Exits non-zero if any call
# failed or got a wrong answer, if an answer or a request was misrouted, or
# if the load did not reach both replicas.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

LAYOUT=stateless
if [[ ${1:-} == --push ]]; then
	LAYOUT=sessions
	shift
fi
CALLS=${1:-200}
case $LAYOUT in
stateless)
	SERVER_FLAGS=(-stateless)
	PROTOCOL=2026-07-28
	;;
sessions)
	SERVER_FLAGS=()
	PROTOCOL=2025-11-25
	;;
esac
CONF=deploy/nginx/$LAYOUT.conf
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

# One key for both replicas: a round trip signed by one must verify on the
# other. (Only multi round-trip calls use it; the session layout needs none.)
SAMPLEGEN_STATE_KEY=$(head -c 32 /dev/urandom | base64)
export SAMPLEGEN_STATE_KEY

# start_replica N: starts replica N on a free loopback port, sets $addr to
# its HOST:PORT once it prints where it listens.
start_replica() {
	local log="$tmp/replica-$1.log"
	"$tmp/server" -http 127.0.0.1:0 "${SERVER_FLAGS[@]}" 2>"$log" &
	pids+=($!)
	local pid=$!
	replica_pid=$pid
	for _ in $(seq $((STARTUP_SECONDS * 10))); do
		addr=$(grep -o 'serving Streamable HTTP on http://127\.0\.0\.1:[0-9]*' "$log" | sed 's|.*http://||' || true)
		[[ -n $addr ]] && return 0
		kill -0 "$pid" 2>/dev/null || { echo "scaleout: replica $1 exited" >&2; return 1; }
		sleep 0.1
	done
	echo "scaleout: replica $1 did not listen within ${STARTUP_SECONDS}s" >&2
	return 1
}
start_replica 1; replica1=$addr replica1_pid=$replica_pid
start_replica 2; replica2=$addr
echo "scaleout: $LAYOUT layout, replicas on $replica1 and $replica2"

# render PORT: writes $tmp/layout.conf, $CONF with the bench's addresses in
# place of the example ones (plain, and as regular expressions), and checks
# that every example address was replaced and every replica is named.
render() {
	# The addresses as regular expressions (127\.0\.0\.1:PORT), escaped for sed.
	local re1=${replica1//./\\\\.} re2=${replica2//./\\\\.}
	sed -e "s/127\.0\.0\.1:8080/127.0.0.1:$1/g" \
		-e "s/127\.0\.0\.1:8081/$replica1/g" \
		-e "s/127\.0\.0\.1:8082/$replica2/g" \
		-e "s/127\\\\\.0\\\\\.0\\\\\.1:8081/$re1/g" \
		-e "s/127\\\\\.0\\\\\.0\\\\\.1:8082/$re2/g" \
		"$CONF" >"$tmp/layout.conf"
	if grep -nE '127(\\)?\.0(\\)?\.0(\\)?\.1:808[0-9]' "$tmp/layout.conf" >&2; then
		echo "scaleout: $CONF names example addresses the bench does not replace (above)" >&2
		return 1
	fi
	for r in "$replica1" "$replica2"; do
		grep -qF "server $r;" "$tmp/layout.conf" || { echo "scaleout: $CONF does not balance over replica $r" >&2; return 1; }
	done
}

# listening HOST PORT: whether something accepts connections there.
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# post BODY [SESSION]: POSTs BODY to nginx's /mcp over one connection of
# its own, with SESSION as Mcp-Session-Id if given, and prints the response.
post() {
	local session=${2:+Mcp-Session-Id: $2$'\r\n'}
	timeout 10 bash -c '
		exec 3<>"/dev/tcp/127.0.0.1/$1"
		printf "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n%sContent-Length: %s\r\nConnection: close\r\n\r\n%s" "$1" "$3" "${#2}" "$2" >&3
		cat <&3' _ "$port" "$1" "$session"
}

# header NAME: the value of response header NAME, from a response on stdin.
header() { sed -n "s/^$1: *//Ip" | tr -d '\r' | head -n 1; }

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
	render "$port"
	cat >"$tmp/nginx.conf" <<CONF
$user_directive
worker_processes 1;
worker_rlimit_nofile 8192;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
	log_format upstream '\$upstream_addr \$status \$request_method \$request_time \$http_mcp_session_id';
	access_log $tmp/access.log upstream;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;

	include $tmp/layout.conf;
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
echo "scaleout: nginx on $url, configured by $CONF"

echo "scaleout: $CALLS concurrent calls, protocol $PROTOCOL"
timeout "$LOAD_SECONDS" "$tmp/loadclient" -url "$url" -calls "$CALLS" -protocol "$PROTOCOL" -timeout "$((LOAD_SECONDS - 10))s"

# nginx's own account of where the requests went (all requests, including
# each client's server/discover or initialize).
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
if [[ $LAYOUT == sessions ]]; then
	# Every request that carried a session id, by the id nginx saw (tagged):
	# all of one session's must have gone to one replica.
	sessions=$(awk '$5 != "-" {print $5}' "$tmp/access.log" | sort -u | wc -l)
	split=$(awk '$5 != "-" {print $5, $1}' "$tmp/access.log" | sort -u | awk '{n[$1]++} END {for (s in n) if (n[s] > 1) c++; print c + 0}')
	echo "scaleout: $sessions sessions in nginx's access log, $split of them served by more than one replica"
	if ((sessions < CALLS || split > 0)); then
		echo "scaleout: want $CALLS sessions, each served by one replica" >&2
		exit 1
	fi

	# A session whose replica is gone must get 404 (the client then
	# initializes again), and a new session must go to a replica that is
	# still there: make a session on replica 1, stop replica 1, ask again.
	init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"scaleout-probe","version":"0"}}}'
	ping='{"jsonrpc":"2.0","id":2,"method":"ping"}'
	sid=""
	for _ in 1 2 3 4; do
		post "$init" >"$tmp/probe"
		if [[ $(header X-Upstream <"$tmp/probe") == "$replica1" ]]; then
			sid=$(header Mcp-Session-Id <"$tmp/probe")
			break
		fi
	done
	[[ $sid == r1.* ]] || { echo "scaleout: no session tagged r1. from replica 1 in four initialize requests" >&2; cat "$tmp/probe" >&2; exit 1; }
	kill -TERM "$replica1_pid"
	for _ in $(seq 100); do kill -0 "$replica1_pid" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$replica1_pid" 2>/dev/null || { echo "scaleout: replica 1 did not stop within 10s" >&2; exit 1; }
	post "$ping" "$sid" >"$tmp/probe"
	status=$(head -n 1 "$tmp/probe" | tr -d '\r')
	[[ $status == "HTTP/1.1 404"* ]] || { echo "scaleout: a request of replica 1's session $sid, replica 1 stopped, got \"$status\", want 404" >&2; exit 1; }
	post "$init" >"$tmp/probe"
	status=$(head -n 1 "$tmp/probe" | tr -d '\r') served=$(header X-Upstream <"$tmp/probe")
	[[ $status == "HTTP/1.1 200"* && $served == *"$replica2" ]] || { echo "scaleout: initialize with replica 1 stopped got \"$status\" from \"$served\", want 200 from $replica2" >&2; exit 1; }
	echo "scaleout: replica 1 stopped: its session's request got 404, a new session went to replica 2"
else
	with_id=$(awk '$5 != "-"' "$tmp/access.log" | wc -l)
	if ((with_id > 0)); then
		echo "scaleout: $with_id requests carried an Mcp-Session-Id to stateless replicas" >&2
		exit 1
	fi
fi
echo "scaleout: ok"
