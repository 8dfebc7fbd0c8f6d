# Shared set-up for bin/run and bin/test: a virtualenv with the pinned requirements.
# Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_venv() {
    local requirements="$1"
    if [ ! -x "$PY" ]; then
        say "Creating the virtualenv in $VENV"
        python3 -m venv "$VENV"
    fi
    # Reinstall only when the pinned requirements change.
    local stamp="$VENV/.installed-$(basename "$requirements")"
    local digest
    digest="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        say "Installing $requirements"
        # python-ldap (single sign-on with the city's directory) compiles against these.
        apt_install gcc python3-dev libldap-dev libsasl2-dev
        "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$PY" -m pip install --quiet --disable-pip-version-check -r "$requirements"
        echo "$digest" > "$stamp"
    fi
}

apt_install() {
    # Debian packages the project needs; apt-get works as root on these machines.
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
