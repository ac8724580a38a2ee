#!/usr/bin/env bash
# Builds a PostgreSQL 17 Docker image from Debian packages, without any container
# registry: debootstrap a minimal Debian trixie root (trixie ships PostgreSQL 17),
# add an entrypoint compatible with the official image, and `docker import` it.
# Testcontainers then finds the image locally and never tries to pull it.
#
#   bash scripts/ci/build-pg-image.sh [IMAGE]      (default: schemabench/postgres:17)
#
# Needs root, a running Docker engine, debootstrap, and an apt mirror (the one this
# machine's apt sources name is used). Skips the build when the image exists.
set -euo pipefail
image=${1:-${SCHEMABENCH_PG_IMAGE:-schemabench/postgres:17}}
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
echo "debootstrap trixie (postgresql-17) into $root ..."
debootstrap --variant=minbase --include=postgresql-17,postgresql-client-17 \
  trixie "$root" "$mirror" >"$root.log" 2>&1 || { tail -n 30 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
# The package's own cluster is not used: the entrypoint initdb's into PGDATA.
rm -rf "$root/var/lib/postgresql/17" "$root/etc/postgresql/17"
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*
install -m 0755 "$here/pg-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"

tar -C "$root" -c . | docker import \
  --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
  --change 'CMD ["postgres"]' \
  --change 'ENV PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV PGDATA=/var/lib/postgresql/data' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'EXPOSE 5432' \
  - "$image" >/dev/null
echo "built $image"
