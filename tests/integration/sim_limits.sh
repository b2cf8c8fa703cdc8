#!/bin/sh
# The real kubectl against podscope-sim with replicas beyond int32: refused
# as kube-apiserver refuses them (its decoder's and patch handler's
# messages), and nothing changes.
set -u

. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"
it_init sim_limits.sh kubectl
sim_start --allow-anonymous --no-controllers --scenario "$FIX/shop.yaml"
# expect WHAT PATTERN: the last command failed and its output matched (grep -F).
expect() {
	grep -qF -- "$2" "$dir/o" || fail "$1: wanted '$2', got: $(cat "$dir/o")"
}

# kubectl scale sends a merge patch of the Scale: patch.go's 422.
k scale -n shop deploy/web --replicas=2147483648 >"$dir/o" 2>&1 && fail "scale 2147483648 succeeded"
expect scale 'The request is invalid: patch: Invalid value: "{'
expect scale 'json: cannot unmarshal number 2147483648 into Go struct field ScaleSpec.spec.replicas of type int32'

manifest() { # NAME REPLICAS
	cat >"$dir/$1.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $1
  namespace: shop
spec:
  replicas: $2
  selector:
    matchLabels: {app: $1}
  template:
    metadata:
      labels: {app: $1}
    spec:
      containers:
      - name: app
        image: nginx:1.27
YAML
}

# kubectl apply of a new object: a POST, the decoder's 400.
manifest big 2147483648
k apply -f "$dir/big.yaml" >"$dir/o" 2>&1 && fail "apply of a new 2147483648 succeeded"
expect apply-create 'Error from server (BadRequest): error when creating "'
expect apply-create 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32'
k get -n shop deploy big >"$dir/o" 2>&1 && fail "deployment big was created"

# kubectl apply to an existing object: a strategic merge patch, which
# upstream's converter wraps to -2147483648, and validation refuses.
manifest web 2147483648
k apply -f "$dir/web.yaml" >"$dir/o" 2>&1 && fail "apply of 2147483648 succeeded"
expect apply-patch 'The Deployment "web" is invalid: spec.replicas: Invalid value: -2147483648: must be greater than or equal to 0'

[ "$(k get -n shop deploy web -o jsonpath='{.spec.replicas}')" = 3 ] || fail "web's replicas changed"
k get --raw /healthz >"$dir/o" 2>&1 || fail "healthz: $(cat "$dir/o")"
echo "PASS: kubectl's out-of-range replicas are refused as kube-apiserver refuses them"
exit 0
