#!/usr/bin/env bash
# A throwaway Label Studio ML backend on 127.0.0.1 for the `lsview predict` tests (tests/server/test_predict.py):
# the real label-studio-ml 1.0.9 in its own virtual environment (never a dependency of lsview) serving the tiny
# model of tests/server/ml_backend_app.py, with HTTP Basic auth on. Used by .ci/run and by developers:
#
#   eval "$(scripts/ml_backend_server.sh start)"    # installs on first use (~7 s with uv), starts, prints variables
#   python -m pytest tests/server/test_predict.py
#   scripts/ml_backend_server.sh stop
#
# label-studio-ml 1.0.9 imports redis and rq without declaring them, so they are installed beside it.
# WORK (env LSVIEW_ML_WORK, default ~/.cache/lsview-ml-backend) holds the venv, the model dir, the log and the pid.
# PORT: env LSVIEW_ML_PORT, default 9090.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=${LSVIEW_ML_WORK:-$HOME/.cache/lsview-ml-backend}
PORT=${LSVIEW_ML_PORT:-9090}
URL="http://127.0.0.1:$PORT"
REQUIREMENTS=('label-studio-ml==1.0.9' 'redis>=4,<9' 'rq>=1.10,<4')
export BASIC_AUTH_USER=lsview-tests
export BASIC_AUTH_PASS=${LSVIEW_ML_PASSWORD:-lsview-ml-password}

log() { echo "ml_backend_server: $*" >&2; }

http_up() {  # /health answers (401 too: the server is up, it wants the password)
    python3 -c 'import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError as error:
    sys.exit(error.code != 401)
except Exception:
    sys.exit(1)' "$1"
}

install() {
    [ -x "$WORK/ml/bin/python" ] && "$WORK/ml/bin/python" -c 'import label_studio_ml.api' 2>/dev/null && return
    log "installing ${REQUIREMENTS[*]} into $WORK/ml"
    mkdir -p "$WORK"
    python3 -m venv "$WORK/tool"
    "$WORK/tool/bin/pip" install --quiet uv
    "$WORK/tool/bin/uv" venv --quiet --python "$(command -v python3)" "$WORK/ml"
    VIRTUAL_ENV="$WORK/ml" "$WORK/tool/bin/uv" pip install --quiet --cache-dir "$WORK/uv-cache" "${REQUIREMENTS[@]}"
}

start() {
    stop_quietly
    install
    rm -rf "$WORK/model"; mkdir -p "$WORK/model"
    "$WORK/ml/bin/python" "$HERE/tests/server/ml_backend_app.py" --port "$PORT" --model-dir "$WORK/model" \
        >"$WORK/server.log" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$WORK/server.pid"
    local deadline=$((SECONDS + 60))
    until http_up "$URL/health"; do
        if ! kill -0 "$pid" 2>/dev/null; then log "the backend exited; its log: $WORK/server.log"; tail -20 "$WORK/server.log" >&2; return 1; fi
        if [ $SECONDS -ge $deadline ]; then log "no /health after 60 s; log: $WORK/server.log"; return 1; fi
        sleep 0.2
    done
    cat <<EOF
export LSVIEW_TEST_ML_URL=$URL
export LSVIEW_TEST_ML_USER=$BASIC_AUTH_USER
export LSVIEW_TEST_ML_PASSWORD=$BASIC_AUTH_PASS
EOF
    log "the ML backend is up on $URL (pid $pid, log $WORK/server.log)"
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
