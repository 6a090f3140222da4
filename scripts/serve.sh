#!/usr/bin/env bash
# Installs what is missing, builds the playground and serves it on http://127.0.0.1:${PORT:-8080}.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-web.sh dist
PORT=${PORT:-8080}
echo "DaemonSet Playground: http://127.0.0.1:$PORT/  (Ctrl-C to stop)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
