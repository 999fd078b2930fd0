#!/usr/bin/env bash
# Installs Schemathesis (pinned in requirements.txt) into .cache/schemathesis, a venv inside the
# repository's ignored cache. A no-op when the venv already holds exactly these requirements.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.cache/schemathesis
stamp="$venv/requirements.sha256"
want=$(sha256sum scripts/fuzz/requirements.txt | cut -d' ' -f1)
if [ -x "$venv/bin/schemathesis" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then exit 0; fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r scripts/fuzz/requirements.txt
echo "$want" >"$stamp"
"$venv/bin/schemathesis" --version
