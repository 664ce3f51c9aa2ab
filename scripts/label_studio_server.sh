#!/usr/bin/env bash
# A throwaway Label Studio server on 127.0.0.1 for the server tests (tests/server), in its own virtual environment:
# Label Studio is never a dependency of lsview. Used by .ci/run and by developers:
#
#   eval "$(scripts/label_studio_server.sh start)"    # installs on first use, starts, prints the test variables
#   python -m pytest tests/server
#   scripts/label_studio_server.sh stop
#
# WORK (env LSVIEW_LS_WORK, default ~/.cache/lsview-label-studio) holds the venv, a template data dir (the first
# start spends ~40 s on migrations; a copy of the migrated template starts in ~6 s), the running server's data
# dir, its log and pid. PORT: env LSVIEW_LS_PORT, default 8089. Times measured in docs/dev/label-studio-server.md.
set -euo pipefail

WORK=${LSVIEW_LS_WORK:-$HOME/.cache/lsview-label-studio}
PORT=${LSVIEW_LS_PORT:-8089}
VERSION='label-studio==1.23.*'
URL="http://127.0.0.1:$PORT"
export LABEL_STUDIO_USERNAME=lsview-tests@example.com
export LABEL_STUDIO_PASSWORD=lsview-tests-password
export LABEL_STUDIO_USER_TOKEN=${LSVIEW_LS_LEGACY_TOKEN:-5f4dcc3b5aa765d61d8327deb882cf99lsview01}
export LABEL_STUDIO_LATEST_VERSION_CHECK=false      # it would ask PyPI at every start
export LABEL_STUDIO_COLLECT_ANALYTICS=false
export LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true
export LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT="$WORK/media"
# get_env() also reads the unprefixed names: keep a caller's USERNAME/PASSWORD/PORT/HOST out of the server
unset USERNAME PASSWORD HOST || true

log() { echo "label_studio_server: $*" >&2; }

http_ok() {  # a new machine has Python but maybe no curl
    python3 -c 'import sys, urllib.request
try:
    sys.exit(urllib.request.urlopen(sys.argv[1], timeout=2).status != 200)
except Exception:
    sys.exit(1)' "$1"
}

install() {
    [ -x "$WORK/ls/bin/label-studio" ] && return
    log "installing $VERSION into $WORK/ls (uv: ~10 s; pip would take ~75 s)"
    mkdir -p "$WORK"
    python3 -m venv "$WORK/tool"
    "$WORK/tool/bin/pip" install --quiet uv
    "$WORK/tool/bin/uv" venv --quiet --python "$(command -v python3)" "$WORK/ls"
    VIRTUAL_ENV="$WORK/ls" "$WORK/tool/bin/uv" pip install --quiet --cache-dir "$WORK/uv-cache" "$VERSION"
}

wait_health() {  # $1: pid, $2: seconds
    local deadline=$((SECONDS + $2))
    until http_ok "$URL/health"; do
        if ! kill -0 "$1" 2>/dev/null; then log "the server exited; its log: $WORK/server.log"; tail -20 "$WORK/server.log" >&2; return 1; fi
        if [ $SECONDS -ge $deadline ]; then log "no /health after $2 s; log: $WORK/server.log"; return 1; fi
        sleep 0.25
    done
}

serve() {  # $1: data dir
    "$WORK/ls/bin/label-studio" start --no-browser --data-dir "$1" --internal-host 127.0.0.1 --port "$PORT" \
        --enable-legacy-api-token >"$WORK/server.log" 2>&1 </dev/null &
    echo $!
}

make_template() {
    [ -f "$WORK/template/label_studio.sqlite3" ] && return
    log "first start: migrating a template data dir (~40 s)"
    rm -rf "$WORK/template"
    local pid; pid=$(serve "$WORK/template")
    wait_health "$pid" 240
    kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

start() {
    stop_quietly
    install
    make_template
    mkdir -p "$WORK/media"
    rm -rf "$WORK/data"; cp -r "$WORK/template" "$WORK/data"
    local pid; pid=$(serve "$WORK/data")
    echo "$pid" >"$WORK/server.pid"
    wait_health "$pid" 120
    # One Personal Access Token per user: made here once, so the tests can use both kinds of credential
    local pat
    pat=$(python3 -c 'import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/api/token/", method="POST", data=b"",
                                 headers={"Authorization": "Token " + sys.argv[2]})
print(json.load(urllib.request.urlopen(request, timeout=30))["token"])' "$URL" "$LABEL_STUDIO_USER_TOKEN")
    cat <<EOF
export LSVIEW_TEST_LS_URL=$URL
export LSVIEW_TEST_LS_TOKEN=$LABEL_STUDIO_USER_TOKEN
export LSVIEW_TEST_LS_PAT=$pat
export LSVIEW_TEST_LS_MEDIA=$WORK/media
EOF
    log "Label Studio is up on $URL (pid $pid, log $WORK/server.log)"
}

stop_quietly() {
    [ -f "$WORK/server.pid" ] || return 0
    local pid; pid=$(cat "$WORK/server.pid")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    fi
    rm -f "$WORK/server.pid"
}

case "${1:-}" in
    start) start ;;
    stop) stop_quietly; log "stopped" ;;
    install) install ;;
    *) echo "usage: $0 start|stop|install" >&2; exit 2 ;;
esac
