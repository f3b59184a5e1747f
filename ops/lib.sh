# Shared helpers for the ops/ scripts. Sourced, not run.
# Everything the scripts start lives under var/ (git-ignored): the Redis data
# and logs, the simulator's log, and pid files, so `ops/stop` finds them.

set -euo pipefail

BC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BC_VAR="$BC_ROOT/var"
BC_REDIS_PORT="${BC_REDIS_PORT:-6390}"
BC_SIM_PORT="${BC_SIM_PORT:-8089}"

# Debian packages needed to build and run (and, for the bench, to measure;
# systemd, openssl and nginx for tests/ops/check_deployment: nginx's own
# service, started by the package, takes port 80; prometheus for promtool, used
# by tests/ops/check_prometheus and the /metrics integration test: its own
# service, started by the package, takes port 9090; chromium and
# chromium-driver for the status page's browser test).
BC_PACKAGES=(build-essential cmake pkg-config git rsync
  libboost-dev libhiredis-dev libcurl4-openssl-dev libicu-dev libyaml-cpp-dev catch2
  libphonenumber-dev libssl-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  redis-server redis-tools kannel kannel-extras
  systemd openssl nginx prometheus chromium chromium-driver)
# Only for ops/fuzz: Debian's clang ships libFuzzer (-fsanitize=fuzzer) and the
# sanitizer runtimes in libclang-rt-14-dev, which clang does not pull in.
BC_FUZZ_PACKAGES=(clang libclang-rt-14-dev)

# Every ops script answers --help (or -h) with its opening comment.
case "${1:-}" in
  -h | --help)
    sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p}}' "$0"
    exit 0
    ;;
esac

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs whatever of the packages is missing (root, or sudo, needed then).
install_packages() {
  local missing=()
  for p in "${BC_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR BUILD_TYPE [extra cmake args...]
# Compiler output goes to DIR/build.log; the terminal gets progress every 10%,
# and the end of the log if the build fails.
build() {
  local dir="$1" type="$2"
  shift 2
  mkdir -p "$dir"
  local logfile="$dir/build.log"
  log "building ($type) in $dir; compiler output in ${logfile#"$BC_ROOT"/}"
  if ! cmake -S "$BC_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >"$logfile" 2>&1; then
    tail -40 "$logfile" >&2
    die "cmake could not configure the build (full log: $logfile)"
  fi
  set +o pipefail
  cmake --build "$dir" -j"$(nproc)" 2>&1 | tee -a "$logfile" |
    sed -un 's/^\[ *\([1-9]0\)%\].*/    \1%/p' | uniq >&2
  local rc=${PIPESTATUS[0]}
  set -o pipefail
  if [ "$rc" -ne 0 ]; then
    grep -E -B2 -A6 'error|Error' "$logfile" | tail -60 >&2
    die "the build failed (full log: $logfile)"
  fi
}

# The local demo's settings for the commands on PATH: the simulator's auth
# token (a real provider's token comes from your secret store instead).
BC_ENV_FILE="$BC_VAR/broadcaster.env"
write_env_file() {
  mkdir -p "$BC_VAR"
  [ -f "$BC_ENV_FILE" ] && return 0
  cat >"$BC_ENV_FILE" <<'ENV'
# Read by the broadcaster and broadcaster-sim commands ops/quickstart puts on
# PATH. A variable already set in your environment wins. For a real Twilio
# account, export TWILIO_AUTH_TOKEN yourself (or edit this file) and set
# channels.sms in config/broadcaster.yaml to your account.
: "${TWILIO_AUTH_TOKEN:=sim-auth-token}"
export TWILIO_AUTH_TOKEN
ENV
}

# Puts `broadcaster` and `broadcaster-sim` on PATH (/usr/local/bin when
# writable, else ~/.local/bin; $BC_BIN_DIR when set, as the tests do): small
# wrappers that read var/broadcaster.env and default --config to this
# checkout's config/broadcaster.yaml.
install_commands() {
  local bin_dir="${BC_BIN_DIR:-/usr/local/bin}"
  mkdir -p "$bin_dir" 2>/dev/null || true
  [ -w "$bin_dir" ] || { bin_dir="$HOME/.local/bin"; mkdir -p "$bin_dir"; }
  write_env_file
  local name
  for name in broadcaster broadcaster-sim; do
    cat >"$bin_dir/$name" <<WRAP
#!/bin/sh
# $name from $BC_ROOT, put here by ops/quickstart (or ops/start).
[ -f "$BC_ENV_FILE" ] && . "$BC_ENV_FILE"
export BROADCASTER_CONFIG="\${BROADCASTER_CONFIG:-$BC_ROOT/config/broadcaster.yaml}"
exec "$BC_ROOT/build/bin/$name" "\$@"
WRAP
    chmod 755 "$bin_dir/$name"
  done
  log "installed broadcaster and broadcaster-sim in $bin_dir"
  case ":$PATH:" in *":$bin_dir:"*) ;; *) log "add $bin_dir to your PATH" ;; esac
}

# Starts the project-local redis-server (never the system service) on
# $BC_REDIS_PORT with AOF on and data in var/redis, unless it already runs.
start_redis() {
  mkdir -p "$BC_VAR/redis"
  if redis-cli -p "$BC_REDIS_PORT" ping >/dev/null 2>&1; then
    log "redis-server already running on 127.0.0.1:$BC_REDIS_PORT"
    return 0
  fi
  log "starting redis-server on 127.0.0.1:$BC_REDIS_PORT (data in var/redis, AOF on)"
  redis-server --bind 127.0.0.1 --port "$BC_REDIS_PORT" --dir "$BC_VAR/redis" \
    --appendonly yes --appendfsync everysec --save "" --daemonize yes \
    --pidfile "$BC_VAR/redis.pid" --logfile "$BC_VAR/redis.log" >/dev/null
  wait_for "redis-server" 20 redis-cli -p "$BC_REDIS_PORT" ping
}

# Starts the Twilio-compatible provider simulator on $BC_SIM_PORT.
start_simulator() {
  local bin="$1"
  shift
  if [ -f "$BC_VAR/sim.pid" ] && kill -0 "$(cat "$BC_VAR/sim.pid")" 2>/dev/null; then
    log "provider simulator already running on 127.0.0.1:$BC_SIM_PORT"
    return 0
  fi
  log "starting the provider simulator on 127.0.0.1:$BC_SIM_PORT"
  "$bin" --port "$BC_SIM_PORT" "$@" >"$BC_VAR/sim.log" 2>&1 &
  echo $! >"$BC_VAR/sim.pid"
  wait_for "provider simulator" 20 curl -sf "http://127.0.0.1:$BC_SIM_PORT/sim/stats"
}

# wait_for WHAT SECONDS COMMAND...: polls COMMAND until it succeeds.
wait_for() {
  local what="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what did not come up within ${seconds}s"
    sleep 0.1
  done
}

stop_pidfile() {
  local file="$1" what="$2"
  [ -f "$file" ] || return 0
  local pid
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $what (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$file"
}
