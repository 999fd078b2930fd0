#!/usr/bin/env bash
# Lints and renders the Helm chart with the chart defaults and every values set under
# helm/model-prism/ci/, then runs the chart's behaviour tests (scripts/helm/chart_test.go: routing,
# secrets kept on upgrade, security context, ...). Helm is not downloaded as a binary: it is built from the Go module proxy at the exact
# version pinned in scripts/helm/go.mod and cached in .cache/bin/helm (rebuilt only when the pin
# changes; the Go build cache makes a rebuild fast).
#
#   bash scripts/helm-lint.sh            lint + template (CI)
#   bash scripts/helm-lint.sh build      only build helm, print its path
#   bash scripts/helm-lint.sh helm ...   run the pinned helm with any arguments
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL_DIR="$ROOT/scripts/helm"
BIN_DIR="$ROOT/.cache/bin"
HELM="$BIN_DIR/helm"
STAMP="$BIN_DIR/helm.stamp"
CHART="$ROOT/helm/model-prism"
# Kubernetes version the chart is rendered against (the chart supports >= 1.25).
KUBE_VERSION="${KUBE_VERSION:-1.30.0}"

log() { printf 'helm-lint: %s\n' "$*" >&2; }

build_helm() {
  command -v go >/dev/null 2>&1 || { log "Go is required to build helm (https://go.dev/dl/)"; exit 1; }
  local stamp
  stamp="$(cat "$TOOL_DIR/go.mod" "$TOOL_DIR/go.sum" | sha256sum | cut -d' ' -f1)-$(go env GOOS GOARCH | tr '\n' '-')"
  if [[ -x "$HELM" && -f "$STAMP" && "$(cat "$STAMP")" == "$stamp" ]]; then
    return 0
  fi
  mkdir -p "$BIN_DIR"
  local helm_ver k8s_ver k8s_major k8s_minor
  helm_ver="$(cd "$TOOL_DIR" && go list -m -f '{{.Version}}' helm.sh/helm/v3)"
  k8s_ver="$(cd "$TOOL_DIR" && go list -m -f '{{.Version}}' k8s.io/client-go)" # v0.MINOR.PATCH
  k8s_major=1
  k8s_minor="$(cut -d. -f2 <<<"$k8s_ver")"
  log "building helm $helm_ver (Kubernetes libraries $k8s_ver) into .cache/bin/helm ..."
  # Same version stamping as Helm's own Makefile, so `helm version` and the default Kubernetes
  # version used by lint/template match an official release build.
  local ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$helm_ver"
  ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=$k8s_major"
  ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor"
  ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$k8s_major"
  ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor"
  (cd "$TOOL_DIR" && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" \
    -o "$HELM.tmp" helm.sh/helm/v3/cmd/helm)
  mv "$HELM.tmp" "$HELM"
  printf '%s' "$stamp" >"$STAMP"
}

build_helm
case "${1:-lint}" in
  build)
    echo "$HELM"
    exit 0
    ;;
  helm)
    shift
    exec "$HELM" "$@"
    ;;
  lint) ;;
  *)
    log "unknown command '$1' (use: lint | build | helm ...)"
    exit 2
    ;;
esac

log "$("$HELM" version --short)"
value_sets=("")
for f in "$CHART"/ci/*-values.yaml; do
  [[ -e "$f" ]] && value_sets+=("$f")
done

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for values in "${value_sets[@]}"; do
  args=()
  # An install without any MongoDB setting is refused on purpose, so the defaults get one.
  template_args=(--set mongodb.uri=mongodb://mongodb:27017/modelprism)
  name="default values"
  if [[ -n "$values" ]]; then
    args=(--values "$values")
    template_args=("${args[@]}")
    name="${values#"$ROOT"/}"
  fi
  log "lint ($name)"
  "$HELM" lint --strict --kube-version "$KUBE_VERSION" "$CHART" "${args[@]}" 2>&1 | tee "$out/lint.log"
  # Lint mode only logs the chart's `fail` calls; treat them as errors.
  if grep -q '\] Fail:' "$out/lint.log"; then
    log "a template validation failed during lint ($name)"
    exit 1
  fi
  log "template ($name)"
  "$HELM" template model-prism "$CHART" --namespace model-prism --kube-version "$KUBE_VERSION" \
    "${template_args[@]}" >"$out/rendered.yaml"
  # Every rendered document must at least name its kind and metadata.name.
  if grep -n '^kind: *$' "$out/rendered.yaml"; then
    log "empty kind in rendered output ($name)"
    exit 1
  fi
  log "rendered $(grep -c '^kind:' "$out/rendered.yaml") objects ($name)"
done
log "chart tests (go test in scripts/helm)"
(cd "$TOOL_DIR" && go test -mod=readonly -count=1 ./...)
log "ok"
