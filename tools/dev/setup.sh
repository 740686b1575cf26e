# Shared set-up for tools/demo and tools/test (sourced, not run): installs
# the Debian packages the build needs when they are missing (as root with
# apt-get, or prints the exact command and stops), then configures and
# builds out of tree (build/) only when something changed.
set -euo pipefail

PACKAGES="build-essential autoconf automake libtool pkg-config \
libglib2.0-dev libjson-glib-dev libpcap-dev nettle-dev libcmocka-dev tshark graphviz \
groff-base libxml2-utils parallel python3-jsonschema chromium"

setup_packages () {
  local missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "cloudrun-netsim needs these Debian packages:$missing" >&2
    echo "install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 2
  fi
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer no, quietly.
  echo "wireshark-common wireshark-common/install-setuid boolean false" \
    | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Builds out of tree in $1 (default build/) with configure flags $2.
setup_build () {
  local dir="${1:-$TOP/build}" flags="${2:-}"
  cd "$TOP"
  if [ -f config.status ]; then
    echo "note: the source tree was configured in place; cleaning it so the" \
         "out-of-tree builds can run (make distclean)" >&2
    make distclean >/dev/null 2>&1 || rm -f config.status
  fi
  if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
    autoreconf -fi >/dev/null
  fi
  mkdir -p "$dir"
  cd "$dir"
  if [ ! -f Makefile ] || [ "$TOP/configure" -nt config.status ]; then
    "$TOP/configure" --enable-werror $flags >/dev/null
  fi
  make -j"$(nproc)" >/dev/null
  cd "$TOP"
}
