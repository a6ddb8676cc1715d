#!/usr/bin/env bash
# make image-test: build the image on a Debian base made here, serve a PDF from it as its non-root user with a read-only
# root filesystem, check nothing was written outside /tmp, then remove every container and image this run made.
# Needs root and apt-get (Debian 12); no container daemon and no image registry. README "Deploy" shows these commands.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
STORY=${STORY:-tests/fixtures/patient_one_drug.json}
BASE_PACKAGES=python3,python3-venv,ca-certificates
# The base is made once and kept, named by its package list: change the list and a new base is made.
BASE_IMAGE=localhost/taperprep-base:bookworm-$(echo "$BASE_PACKAGES" | cksum | cut -d' ' -f1)
IMAGE=localhost/taperprep-image-test:$$
NAME=taperprep-image-test-$$
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PIP_CERT_FILE=${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}
WORK=$(mktemp -d)
STARTED=$SECONDS

step() { printf '[image-test %3ss] %s\n' "$((SECONDS - STARTED))" "$*"; }
fail() { printf 'image-test FAILED: %s\n' "$*" >&2; exit 1; }
our_images() { podman images --all --noheading --format '{{.ID}}' | sort -u; }

missing=""
for package in buildah podman mmdebstrap runc; do
    dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
    step "installing$missing with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

images_before=$WORK/images-before
our_images >"$images_before"
cleanup() {
    status=$?
    podman rm --force --ignore "$NAME" >/dev/null 2>&1 || true
    podman rmi --force "$IMAGE" >/dev/null 2>&1 || true
    # Anything else this run left (an intermediate stage's image): removed too, so the store ends as it began.
    comm -13 "$images_before" <(our_images) | grep -v -x -F "$(podman image inspect --format '{{.ID}}' "$BASE_IMAGE" 2>/dev/null || echo none)" \
        | xargs -r podman rmi --force >/dev/null 2>&1 || true
    buildah rm --all >/dev/null 2>&1 || true
    leftover=$(comm -13 "$images_before" <(our_images) | grep -v -x -F "$(podman image inspect --format '{{.ID}}' "$BASE_IMAGE" 2>/dev/null || echo none)" || true)
    if [ -n "$leftover" ] || podman container exists "$NAME"; then
        echo "image-test FAILED: left behind: ${leftover:-container $NAME}" >&2
        status=1
    fi
    rm -rf "$WORK"
    step "done (exit $status)"
    exit "$status"
}
trap cleanup EXIT

if ! podman image exists "$BASE_IMAGE"; then
    step "making the base $BASE_IMAGE with mmdebstrap (once)"
    mmdebstrap --quiet --variant=minbase --include="$BASE_PACKAGES" bookworm "$WORK/base.tar"
    podman import "$WORK/base.tar" "$BASE_IMAGE" >/dev/null
    rm -f "$WORK/base.tar"
    # The base is kept on purpose (that is the cache); it is not "made by this run" in the sense of the cleanup.
    podman image inspect --format '{{.ID}}' "$BASE_IMAGE" >>"$images_before"
    sort -u -o "$images_before" "$images_before"
fi

step "building $IMAGE on $BASE_IMAGE"
buildah bud --isolation chroot --format docker --build-arg BASE="$BASE_IMAGE" \
    --secret id=pip-cert,src="$PIP_CERT_FILE" -t "$IMAGE" . 2>&1 | while IFS= read -r line; do
        case "$line" in *" STEP "*|*" COMMIT "*) step "$line" ;; *) printf '%s\n' "$line" ;; esac
    done

step "running it on 127.0.0.1:$PORT with a read-only root filesystem"
podman run --detach --name "$NAME" --runtime runc --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 \
    --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,nosuid,nodev,size=256m \
    --health-interval=disable --network host -e HOST=127.0.0.1 -e PORT="$PORT" "$IMAGE" >/dev/null

deadline=$((SECONDS + 180))
until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
    [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" = true ] || { podman logs "$NAME" >&2; fail "the container stopped"; }
    [ "$SECONDS" -lt "$deadline" ] || { podman logs "$NAME" >&2; fail "/healthz did not answer within 180 s"; }
    sleep 1
done
step "/healthz answers; the image's own HEALTHCHECK says: $(podman healthcheck run "$NAME" && echo healthy)"

sed "s/@this-month/$(date +%Y-%m)/" "$STORY" >"$WORK/story.json"
curl -fsS -X POST "http://127.0.0.1:$PORT/api/v1/packets" -H 'content-type: application/json' \
    -d @"$WORK/story.json" -o "$WORK/packet.pdf"
"$PY" - "$WORK/packet.pdf" "$WORK/story.json" <<'EOF'
"""The PDF read back: pages with the story's text, and the story itself attached as story.json."""
import json, sys
from pypdf import PdfReader
reader = PdfReader(sys.argv[1])
story = json.load(open(sys.argv[2], encoding="utf-8"))
text = " ".join(page.extract_text() for page in reader.pages)
attached = json.loads(reader.attachments["story.json"][0])
assert len(reader.pages) >= 2, len(reader.pages)
assert "not medical advice" in " ".join(text.split()).lower(), "no disclaimer"
assert attached["medications"][0]["name"] == story["medications"][0]["name"], attached["medications"]
print(f"PDF read back: {len(reader.pages)} pages, story.json attached")
EOF

# Every process in the container (the server, its workers, and this very `sh`): their real uids.
uids=$(podman exec "$NAME" sh -c 'cat /proc/[0-9]*/status' | awk '$1 == "Uid:" {print $2}' | sort -u | tr '\n' ' ')
step "process uids in the container: $uids"
[ -n "$uids" ] && ! grep -qw 0 <<<"$uids" || fail "a process runs as root (uids: $uids)"
[ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$NAME")" = true ] || fail "root filesystem not read-only"
podman exec "$NAME" sh -c 'touch /srv/taperprep/probe' 2>/dev/null && fail "the root filesystem is writable"
# podman itself bind-mounts /etc/hostname, /etc/hosts, /etc/resolv.conf and /run/.containerenv (so /etc shows as
# changed even for a container that only runs `sleep`); anything else in the diff was written by the app.
changes=$(podman diff "$NAME" | grep -v -x -E 'C /etc|[AC] /etc/(hostname|hosts|resolv\.conf)|[AC] /run(/\.containerenv)?' || true)
[ -z "$changes" ] || fail "written outside /tmp: $changes"
step "nothing written outside /tmp (podman diff shows only podman's own mount points)"

podman stop --time 60 "$NAME" >/dev/null
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$NAME")
[ "$exit_code" = 0 ] || { podman logs "$NAME" >&2; fail "after SIGTERM the server exited $exit_code"; }
step "podman stop (SIGTERM): the server exited 0"
