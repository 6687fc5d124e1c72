#!/usr/bin/env bash
# newsfold's set-up, demo and tests in one place; needs only bash and Python 3.11+ (Debian's python3).
#   bash dev.sh demo    create .venv, install newsfold, ingest the sample and serve it on http://127.0.0.1:8000
#   bash dev.sh test    create .venv, install newsfold with its test tools, run lint, types and every test
#   bash dev.sh bench   run every benchmark (reads ../shared/data where present)
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
VENV=.venv
STAMP="$VENV/.installed"

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "dev.sh: installing Debian's python3-venv (python3 -m venv needs it)" >&2
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        "$PYTHON" -m venv "$VENV"
      else
        echo "dev.sh: '$PYTHON -m venv' failed; install python3-venv (sudo apt-get install python3-venv)" >&2
        exit 1
      fi
    fi
  fi
}

install() {
  ensure_venv
  if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ] || [ requirements/constraints.txt -nt "$STAMP" ]; then
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet -c requirements/constraints.txt -e ".[dev]"
    touch "$STAMP"
  fi
}

browser_deps() {
  if command -v chromium >/dev/null 2>&1; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "dev.sh: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null || echo "dev.sh: chromium not installed" >&2
  else
    echo "dev.sh: chromium is not installed: the browser tests will be skipped" >&2
  fi
}

postgres_deps() {
  if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "dev.sh: installing Debian's postgresql for the PostgreSQL tests" >&2
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null || echo "dev.sh: postgresql not installed" >&2
  else
    echo "dev.sh: PostgreSQL is not installed: the PostgreSQL tests will be skipped" >&2
  fi
}

case "${1:-}" in
  demo)
    install
    exec "$VENV/bin/newsfold" demo
    ;;
  test)
    install
    browser_deps
    postgres_deps
    "$VENV/bin/ruff" check src tests benchmarks
    "$VENV/bin/ruff" format --check src tests benchmarks
    "$VENV/bin/mypy"
    "$VENV/bin/pytest" -q
    ;;
  bench)
    install
    for script in benchmarks/extract.py benchmarks/blurb_documents.py benchmarks/langid.py benchmarks/fold.py benchmarks/highlights.py \
      benchmarks/entities.py benchmarks/fetch.py benchmarks/translate.py benchmarks/search.py benchmarks/ingest.py; do
      echo "== $script"
      "$VENV/bin/python" "$script"
    done
    ;;
  *)
    echo "usage: bash dev.sh demo | test | bench" >&2
    exit 2
    ;;
esac
