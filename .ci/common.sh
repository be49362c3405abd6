# Shared helpers for the .ci scripts; sourced, not run.

# Run from the repository root whatever the caller's directory.
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
REPO_ROOT=$(pwd)
export REPO_ROOT

# cargo install puts tools here; a fresh login shell may not have it on PATH yet.
if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi

log() { printf '\n==> %s\n' "$*"; }
warn() { printf 'AVISO: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "hace falta ser root (o tener sudo) para: $*"
    fi
}

# "1m23s" from a number of seconds.
human_time() {
    local s=$1
    if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}
