#!/usr/bin/env bash
# Install the peer CRM (BottleCRM, PyPI `django-crm`) for the side-by-side benchmarks (issue 17)
# in its OWN virtualenv, with its own PostgreSQL database owned by a NON-superuser role (its
# row-level security does not apply to a superuser), then migrate it. Nothing of its code is
# committed here: only this installer and bench/peer/load.py.
#
#   bench/peer/install.sh                 # PEER_HOME=var/peer, PEER_DB=wuwei_bench_peer
#   PEER_PG=postgres://postgres@127.0.0.1:5432 PEER_PYTHON=/root/.pyenv/versions/3.12.1/bin/python
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PEER_HOME="${PEER_HOME:-$here/../../var/peer}"
PEER_PG="${PEER_PG:-postgres://postgres@127.0.0.1:5432}"
PEER_DB="${PEER_DB:-wuwei_bench_peer}"
PEER_ROLE="${PEER_ROLE:-wuwei_peer}"
PEER_VERSION="${PEER_VERSION:-1.35.0}"
if [ -z "${PEER_PYTHON:-}" ]; then
  PEER_PYTHON="$(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python 2>/dev/null | head -1 || true)"
  [ -n "$PEER_PYTHON" ] || PEER_PYTHON="$(command -v python3.12 || command -v python3.13 || true)"
fi
[ -n "$PEER_PYTHON" ] || { echo "django-crm needs Python >= 3.12: set PEER_PYTHON" >&2; exit 1; }
mkdir -p "$PEER_HOME"
PEER_HOME="$(cd "$PEER_HOME" && pwd)"
if [ ! -x "$PEER_HOME/venv/bin/python" ]; then
  "$PEER_PYTHON" -m venv "$PEER_HOME/venv"
fi
"$PEER_HOME/venv/bin/pip" install -q "django-crm==$PEER_VERSION" "psycopg[binary]" gunicorn

psql "$PEER_PG/postgres" -v ON_ERROR_STOP=1 -q <<SQL
SELECT 'CREATE ROLE $PEER_ROLE LOGIN PASSWORD ''$PEER_ROLE'' NOSUPERUSER NOBYPASSRLS'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PEER_ROLE') \gexec
SELECT 'CREATE DATABASE $PEER_DB OWNER $PEER_ROLE'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$PEER_DB') \gexec
SQL

cat > "$PEER_HOME/env" <<ENV
export DJANGO_SETTINGS_MODULE=crm.settings
export ENV_TYPE=dev
export DEBUG=False
export SECRET_KEY=bench-peer-$(printf '%s' "$PEER_HOME" | sha256sum | cut -c1-48)
export DBNAME=$PEER_DB DBUSER=$PEER_ROLE DBPASSWORD=$PEER_ROLE DBHOST=127.0.0.1 DBPORT=5432
export CELERY_BROKER_URL=memory:// CELERY_RESULT_BACKEND=cache+memory://
export ALLOWED_HOSTS=localhost,127.0.0.1
ENV
cd "$PEER_HOME"
# shellcheck disable=SC1091
. "$PEER_HOME/env"
"$PEER_HOME/venv/bin/python" -m django migrate --noinput -v 0
echo "peer installed in $PEER_HOME (database $PEER_DB, role $PEER_ROLE)"
