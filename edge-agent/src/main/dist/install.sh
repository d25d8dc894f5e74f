#!/bin/sh
# Installs the EdgeLoop agent on this device:
#   /opt/edgeloop-agent/{bin,lib}      the launcher with its jvm.options, and the jars (agent + runtime classpath)
#   /etc/edgeloop/agent.yaml           configuration (kept if present)
#   /var/lib/edgeloop                  state: model store and RocksDB (owned by user edgeloop)
#   /etc/systemd/system/edgeloop-agent.service
# Run from edge-agent/target/dist after 'mvn package' (it takes the jars from ../ and ../lib).
# DESTDIR=/some/root installs under that root without touching the system (no user, no systemctl).
# --with-pytorch also installs the optional PyTorch engine for torchscript packages (its jar and
# DJL/PyTorch jars from edge-agent/engine-pytorch/target, about 115 MB); without it the installed
# agent carries no PyTorch, and reinstalling without it removes it.
set -eu

WITH_PYTORCH=0
for arg in "$@"; do
  case "$arg" in
    --with-pytorch) WITH_PYTORCH=1 ;;
    *) echo "install.sh: unknown option '$arg' (only --with-pytorch)" >&2; exit 2 ;;
  esac
done

HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="$(cd "$HERE/.." && pwd)"
DESTDIR="${DESTDIR:-}"
PREFIX="$DESTDIR/opt/edgeloop-agent"
ETC="$DESTDIR/etc/edgeloop"
STATE="$DESTDIR/var/lib/edgeloop"
UNIT_DIR="$DESTDIR/etc/systemd/system"

jar="$(ls "$TARGET"/edge-agent-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true)"
if [ -z "$jar" ] || [ ! -d "$TARGET/lib" ]; then
  echo "install.sh: no agent jar or lib/ beside $HERE; run 'mvn -pl edge-agent -am package' first" >&2
  exit 1
fi
PLUGIN="$TARGET/../engine-pytorch/target"
plugin_jar=""
if [ "$WITH_PYTORCH" = 1 ]; then
  plugin_jar="$(ls "$PLUGIN"/edge-agent-engine-pytorch-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true)"
  if [ -z "$plugin_jar" ] || [ ! -d "$PLUGIN/lib" ]; then
    echo "install.sh: --with-pytorch: no engine jar or lib/ in $PLUGIN; run 'mvn -pl edge-agent/engine-pytorch -am package' first" >&2
    exit 1
  fi
fi
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (or set DESTDIR to install into a staging root)" >&2
  exit 1
fi
if ! command -v java >/dev/null 2>&1; then
  echo "install.sh: warning: no 'java' on PATH; install a Java 17+ runtime before starting the agent" >&2
fi

mkdir -p "$PREFIX/bin" "$PREFIX/lib" "$ETC" "$STATE" "$UNIT_DIR"
rm -f "$PREFIX"/lib/*.jar
cp "$jar" "$TARGET"/lib/*.jar "$PREFIX/lib/"
if [ -n "$plugin_jar" ]; then
  # The agent finds the engine through ServiceLoader on its lib/* classpath; nothing else to configure.
  cp "$plugin_jar" "$PLUGIN"/lib/*.jar "$PREFIX/lib/"
  echo "install.sh: installed the optional PyTorch engine (torchscript packages)"
fi
install -m 0755 "$HERE/edgeloop-agent" "$PREFIX/bin/edgeloop-agent"
install -m 0644 "$HERE/jvm.options" "$PREFIX/bin/jvm.options"
install -m 0644 "$HERE/edgeloop-agent.service" "$UNIT_DIR/edgeloop-agent.service"
if [ ! -f "$ETC/agent.yaml" ]; then
  install -m 0644 "$HERE/agent.yaml" "$ETC/agent.yaml"
else
  echo "install.sh: keeping existing $ETC/agent.yaml (new defaults in $HERE/agent.yaml)"
fi

if [ -z "$DESTDIR" ]; then
  if ! id edgeloop >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/edgeloop --shell /usr/sbin/nologin edgeloop
  fi
  chown -R edgeloop:edgeloop "$STATE"
  if command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload
    systemctl enable edgeloop-agent.service
    echo "install.sh: installed; put the publisher key at /etc/edgeloop/publisher.pub, then: systemctl start edgeloop-agent"
  fi
else
  echo "install.sh: installed under $DESTDIR"
fi
