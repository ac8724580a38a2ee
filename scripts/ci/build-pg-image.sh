#!/usr/bin/env bash
# Builds a PostgreSQL Docker image from Debian packages, without any container
# registry: debootstrap a minimal Debian root of the suite that ships the major, add
# an entrypoint compatible with the official image, and `docker import` it.
# Testcontainers then finds the image locally and never tries to pull it.
#
#   bash scripts/ci/build-pg-image.sh [IMAGE] [MAJOR]   (default: schemabench/postgres:17, 17)
#
# MAJOR defaults to IMAGE's tag when it is a number. Debian's mirror has one major per
# suite: 15 (bookworm), 17 (trixie), 18 (forky, testing: checked 2026-11-23 with
# apt-cache policy, postgresql-18 18.6-3). 14 and 16 are in no Debian suite: for them use
# the embedded provider (`--pg 14,16 --provider embedded`).
#
# Needs root, a running Docker engine, debootstrap, and an apt mirror (the one this
# machine's apt sources name is used). Skips the build when the image exists.
set -euo pipefail
image=${1:-${SCHEMABENCH_PG_IMAGE:-schemabench/postgres:17}}
tag=${image##*:}
[ "$tag" = "$image" ] && tag=
if [ -n "${2:-}" ]; then major=$2; elif [[ "$tag" =~ ^[0-9]+$ ]]; then major=$tag; else major=17; fi
case "$major" in
  15) suite=bookworm ;;
  17) suite=trixie ;;
  18) suite=forky ;;
  *) echo "build-pg-image: PostgreSQL $major is in no Debian suite (15: bookworm, 17: trixie, 18: forky); use the embedded provider for it" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "image $image already present"
  exit 0
fi

# The Debian mirror this machine's apt already uses (the first URI whose path is /debian).
mirror=$(grep -rhoE '^(URIs:|deb) +[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d 2>/dev/null |
  awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)
if [ -z "$mirror" ]; then
  echo "build-pg-image: no Debian mirror found in /etc/apt sources" >&2
  exit 1
fi

root=$(mktemp -d /tmp/schemabench-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
# An older debootstrap has no script named after a newer suite: testing uses sid's.
script=/usr/share/debootstrap/scripts/$suite
[ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
echo "debootstrap $suite (postgresql-$major) into $root ..."
debootstrap --variant=minbase --include="postgresql-$major,postgresql-client-$major" \
  "$suite" "$root" "$mirror" "$script" >"$root.log" 2>&1 || { tail -n 30 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
# The package's own cluster is not used: the entrypoint initdb's into PGDATA.
rm -rf "$root/var/lib/postgresql/$major" "$root/etc/postgresql/$major"
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*
install -m 0755 "$here/pg-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"

tar -C "$root" -c . | docker import \
  --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
  --change 'CMD ["postgres"]' \
  --change "ENV PATH=/usr/lib/postgresql/$major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change 'ENV PGDATA=/var/lib/postgresql/data' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'EXPOSE 5432' \
  - "$image" >/dev/null
echo "built $image"
