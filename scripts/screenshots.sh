#!/usr/bin/env bash
# Takes PNG screenshots of every pane of the real app in demo mode into screenshots/.
# Needs tmux, Pillow and DejaVu Sans Mono; installs them when missing (Debian, as root).
# Run from anywhere: bash scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || apt-get install -y -qq tmux
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || apt-get install -y -qq fonts-dejavu-core
python3 -c "import PIL" 2>/dev/null || pip install --quiet pillow
swift build --product ventia >/dev/null
bin="$(swift build --show-bin-path)/ventia"
home=$(mktemp -d)
session=ventia-shots
trap 'tmux kill-session -t $session 2>/dev/null || true; rm -rf "$home"' EXIT
mkdir -p screenshots "$home/ventia"
# Amounts as Montevideo writes them (1.300.800,50) in the sales panes.
echo "locale: es_UY" > "$home/ventia/config.yml"
tmux kill-session -t $session 2>/dev/null || true
tmux new-session -d -s $session -x 120 -y 34 \
    "env -u VENTIA_API_KEY -u NO_COLOR HOME=$home XDG_CONFIG_HOME=$home XDG_STATE_HOME=$home LANG=C.UTF-8 TERM=tmux-256color $bin"

wait_for() {
    for _ in $(seq 1 100); do tmux capture-pane -p -t $session | grep -q -- "$1" && return 0; sleep 0.1; done
    echo "screenshots: timed out waiting for '$1'" >&2
    tmux capture-pane -p -t $session >&2
    exit 1
}
keys() { tmux send-keys -t $session "$@"; sleep 0.4; }
shoot() {
    tmux capture-pane -e -p -t $session > "screenshots/$1.ansi"
    python3 scripts/ansi_to_png.py "screenshots/$1.ansi" "screenshots/$1.png" --columns 120 ${2:-}
    rm -f "screenshots/$1.ansi"
    echo "screenshots/$1.png"
}

wait_for "500 contacts"
keys j j
shoot contacts
keys /
tmux send-keys -t $session -l "rodr"
wait_for "found in 500 contacts"
shoot search
keys Enter
keys M
keys t
tmux send-keys -t $session -l "Martín"
keys Enter
wait_for "transfers ·"
shoot bulk-transfer
keys Escape
keys u
keys Escape
keys Enter
wait_for "Timeline"
sleep 0.5
shoot timeline
keys n
tmux send-keys -t $session -l "Confirmó visita para el sábado"
sleep 0.3
shoot note-form
keys Escape
keys q
keys :
tmux send-keys -t $session -l "users"
keys Enter
wait_for "Roles"
shoot users
keys :
tmux send-keys -t $session -l "sales"
keys Enter
wait_for "page 1 of"
shoot sales
keys o
wait_for "This week"
keys p p p p
wait_for "Last 30 days .* as of"
keys h h h
shoot sales-overview
keys o
keys :
tmux send-keys -t $session -l "company"
keys Enter
wait_for "Archiving reasons"
shoot company
keys "?"
wait_for "Help"
shoot help
keys Escape

# The notices: who I am, a reminder a minute ahead on one of my contacts, and the list once it came due.
keys 1
keys :
tmux send-keys -t $session -l "me"
keys Enter
wait_for "Who are you?"
tmux send-keys -t $session -l "martin"
keys Enter
wait_for "me: Martín"
keys v
wait_for "view 1/3"
keys r
tmux send-keys -t $session -l "+1m"
keys Enter
wait_for "Reminder set"
for _ in $(seq 1 90); do tmux capture-pane -p -t $session | grep -q "⚑ 1" && break; sleep 1; done
wait_for "⚑ 1"
keys :
tmux send-keys -t $session -l "notices"
keys Enter
wait_for "Notices"
shoot notices
keys Escape
keys C-c

# The same contacts pane with NO_COLOR: emphasis (bold, reverse, underline) only.
tmux kill-session -t $session 2>/dev/null || true
tmux new-session -d -s $session -x 120 -y 34 \
    "env -u VENTIA_API_KEY NO_COLOR=1 HOME=$home XDG_CONFIG_HOME=$home XDG_STATE_HOME=$home LANG=C.UTF-8 TERM=tmux-256color $bin"
wait_for "500 contacts"
keys j j
shoot contacts-no-color
keys C-c

# The light theme, for terminals with a light background.
tmux kill-session -t $session 2>/dev/null || true
echo "theme: light" > "$home/ventia/config.yml"
tmux new-session -d -s $session -x 120 -y 34 \
    "env -u VENTIA_API_KEY -u NO_COLOR HOME=$home XDG_CONFIG_HOME=$home XDG_STATE_HOME=$home LANG=C.UTF-8 TERM=tmux-256color $bin"
wait_for "500 contacts"
keys j j
shoot contacts-light --light
keys C-c
