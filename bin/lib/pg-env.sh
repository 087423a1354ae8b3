# Shared by bin/backup and bin/restore (sourced, not run).
#
# Turns DATABASE_URL (postgres://user:password@host:port/name?sslmode=...) into libpq's PG*
# environment variables, so pg_dump, pg_restore and psql connect without the password ever
# appearing on a command line (where `ps` would show it to every local user).

die() {
  printf '%s: %s\n' "${0##*/}" "$*" >&2
  exit 1
}

say() {
  printf '%s: %s\n' "${0##*/}" "$*" >&2
}

urldecode() {
  local s=$1
  printf '%b' "${s//%/\\x}"
}

pg_env_from_url() {
  local url=$1
  local re='^(postgres|postgresql|pgsql)://(([^:@/]*)(:([^@/]*))?@)?([^:/?]*)(:([0-9]+))?/([^?]+)(\?(.*))?$'
  if [[ ! $url =~ $re ]]; then
    die "DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/name), got '${url%%://*}://…'"
  fi
  unset PGSERVICE PGHOSTADDR
  export PGUSER PGPASSWORD PGHOST PGPORT PGDATABASE
  PGUSER=$(urldecode "${BASH_REMATCH[3]}")
  PGPASSWORD=$(urldecode "${BASH_REMATCH[5]}")
  PGHOST=$(urldecode "${BASH_REMATCH[6]}")
  PGPORT=${BASH_REMATCH[8]:-5432}
  PGDATABASE=$(urldecode "${BASH_REMATCH[9]}")
  local query=${BASH_REMATCH[11]} pair
  [ -n "$PGUSER" ] || unset PGUSER
  [ -n "$PGPASSWORD" ] || unset PGPASSWORD
  [ -n "$PGHOST" ] || unset PGHOST # empty host: libpq's default Unix socket
  if [ -n "$query" ]; then
    IFS='&' read -r -a pairs <<<"$query"
    for pair in "${pairs[@]}"; do
      case $pair in
        sslmode=*) export PGSSLMODE=${pair#sslmode=} ;;
      esac
    done
  fi
}

need_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null \
      || die "$tool is not installed (Debian: apt-get install postgresql-client coreutils tar)"
  done
}

# Row counts of every table in the public schema, "table<TAB>rows", sorted by name.
ROW_COUNTS_SQL="SELECT table_name || E'\t' || (xpath('/row/c/text()', query_to_xml(
  format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name"
