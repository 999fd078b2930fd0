// Behaviour tests of the Helm chart in helm/model-prism, rendered with Helm's own engine (the same
// code `helm template` / `helm install` run). Run by scripts/helm-lint.sh, or directly:
//
//	cd scripts/helm && go test ./...
package helmtool

import (
	"encoding/hex"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

const (
	release   = "prism"
	namespace = "llm"
	mongoURI  = "mongodb://mongo-0.mongo:27017/modelprism?replicaSet=rs0"
	// fullname is "<release>-<chart>" unless the release name contains the chart name.
	fullname = "prism-model-prism"
)

var chartDir = filepath.Join("..", "..", "helm", "model-prism")

// manifests is the rendered output split into objects, keyed by "Kind/name".
type manifests map[string]string

func loadChart(t *testing.T) *chart.Chart {
	t.Helper()
	c, err := loader.LoadDir(chartDir)
	if err != nil {
		t.Fatalf("load chart: %v", err)
	}
	return c
}

func readValues(t *testing.T, file string) map[string]interface{} {
	t.Helper()
	v, err := chartutil.ReadValuesFile(file)
	if err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	return v
}

// fakeCluster answers the chart's `lookup` calls from in-memory objects.
type fakeCluster struct{ client dynamic.Interface }

func (f fakeCluster) GetClientFor(apiVersion, kind string) (dynamic.NamespaceableResourceInterface, bool, error) {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil, false, err
	}
	resource := strings.ToLower(kind) + "s"
	return f.client.Resource(gv.WithResource(resource)), true, nil
}

// render renders like `helm install/upgrade` (IsInstall or IsUpgrade), optionally against cluster objects.
func render(t *testing.T, vals map[string]interface{}, upgrade bool, cluster ...runtime.Object) (manifests, error) {
	t.Helper()
	c := loadChart(t)
	caps := chartutil.DefaultCapabilities.Copy()
	opts := chartutil.ReleaseOptions{Name: release, Namespace: namespace, IsInstall: !upgrade, IsUpgrade: upgrade}
	rv, err := chartutil.ToRenderValues(c, vals, opts, caps)
	if err != nil {
		return nil, err
	}
	var out map[string]string
	if len(cluster) > 0 {
		client := dynamicfake.NewSimpleDynamicClient(scheme.Scheme, cluster...)
		out, err = engine.RenderWithClientProvider(c, rv, fakeCluster{client})
	} else {
		out, err = engine.Render(c, rv)
	}
	if err != nil {
		return nil, err
	}
	m := manifests{}
	for name, text := range out {
		if strings.HasSuffix(name, "NOTES.txt") {
			continue
		}
		for _, doc := range strings.Split(text, "\n---") {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			var meta struct {
				Kind     string `json:"kind"`
				Metadata struct {
					Name string `json:"name"`
				} `json:"metadata"`
			}
			if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
				t.Fatalf("%s: invalid YAML: %v\n%s", name, err, doc)
			}
			if meta.Kind == "" || meta.Metadata.Name == "" {
				t.Fatalf("%s: object without kind or name:\n%s", name, doc)
			}
			m[meta.Kind+"/"+meta.Metadata.Name] = doc
		}
	}
	return m, nil
}

func mustRender(t *testing.T, vals map[string]interface{}, cluster ...runtime.Object) manifests {
	t.Helper()
	m, err := render(t, vals, false, cluster...)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return m
}

// decode strictly into the Kubernetes API type, so a misspelled or misplaced field fails the test.
func decode(t *testing.T, m manifests, key string, into interface{}) {
	t.Helper()
	doc, ok := m[key]
	if !ok {
		t.Fatalf("%s not rendered; got %v", key, m.keys())
	}
	if err := yaml.UnmarshalStrict([]byte(doc), into); err != nil {
		t.Fatalf("%s does not match the Kubernetes schema: %v\n%s", key, err, doc)
	}
}

func (m manifests) keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func withMongo(extra map[string]interface{}) map[string]interface{} {
	v := map[string]interface{}{"mongodb": map[string]interface{}{"uri": mongoURI}}
	for k, val := range extra {
		v[k] = val
	}
	return v
}

func envOf(c corev1.Container) map[string]corev1.EnvVar {
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	return env
}

func TestDefaultsRenderControlAndWorkerWithSafePods(t *testing.T) {
	m := mustRender(t, withMongo(nil))
	want := []string{
		"ConfigMap/" + fullname, "Secret/" + fullname, "ServiceAccount/" + fullname,
		"Service/" + fullname + "-control", "Service/" + fullname + "-worker",
		"Deployment/" + fullname + "-control", "Deployment/" + fullname + "-worker",
		"HorizontalPodAutoscaler/" + fullname + "-worker",
		"PodDisruptionBudget/" + fullname + "-control", "PodDisruptionBudget/" + fullname + "-worker",
	}
	if got := m.keys(); strings.Join(got, ",") != strings.Join(sortedCopy(want), ",") {
		t.Fatalf("rendered objects\n got %v\nwant %v", got, sortedCopy(want))
	}

	for role, replicasSet := range map[string]bool{"control": true, "worker": false} {
		var d appsv1.Deployment
		decode(t, m, "Deployment/"+fullname+"-"+role, &d)
		if (d.Spec.Replicas != nil) != replicasSet {
			t.Errorf("%s: replicas set = %v, want %v (the HPA owns the worker count)", role, d.Spec.Replicas != nil, replicasSet)
		}
		pod := d.Spec.Template.Spec
		c := pod.Containers[0]
		if got := envOf(c)["NODE_ROLE"].Value; got != role {
			t.Errorf("%s: NODE_ROLE=%q", role, got)
		}
		if c.LivenessProbe.HTTPGet.Path != "/health" || c.ReadinessProbe.HTTPGet.Path != "/health/ready" ||
			c.StartupProbe.HTTPGet.Path != "/health" {
			t.Errorf("%s: probes liveness=%s readiness=%s startup=%s", role,
				c.LivenessProbe.HTTPGet.Path, c.ReadinessProbe.HTTPGet.Path, c.StartupProbe.HTTPGet.Path)
		}
		if pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot {
			t.Errorf("%s: pod may run as root", role)
		}
		sc := c.SecurityContext
		if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
			sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("%s: container security context too weak: %+v", role, sc)
		}
		if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
			t.Errorf("%s: service account token is mounted", role)
		}
		if c.Image != "model-prism:0.1.0" {
			t.Errorf("%s: image %q", role, c.Image)
		}
		if len(c.EnvFrom) != 2 || c.EnvFrom[0].ConfigMapRef.Name != fullname || c.EnvFrom[1].SecretRef.Name != fullname {
			t.Errorf("%s: envFrom %+v", role, c.EnvFrom)
		}
	}

	var cm corev1.ConfigMap
	decode(t, m, "ConfigMap/"+fullname, &cm)
	if cm.Data["NODE_ENV"] != "production" || cm.Data["PORT"] != "3000" {
		t.Errorf("configmap %v", cm.Data)
	}
	for k := range cm.Data {
		if strings.Contains(k, "SECRET") || strings.Contains(k, "KEY") || strings.Contains(k, "PASSWORD") || k == "MONGODB_URI" {
			t.Errorf("secret-like key %s in the ConfigMap", k)
		}
	}

	var s corev1.Secret
	decode(t, m, "Secret/"+fullname, &s)
	if len(s.Data["JWT_SECRET"]) < 32 {
		t.Errorf("generated JWT_SECRET has %d characters", len(s.Data["JWT_SECRET"]))
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).Match(s.Data["ENCRYPTION_KEY"]) {
		t.Errorf("generated ENCRYPTION_KEY %q is not 64 hex characters", s.Data["ENCRYPTION_KEY"])
	}
	if key, _ := hex.DecodeString(string(s.Data["ENCRYPTION_KEY"])); len(key) != 32 {
		t.Errorf("ENCRYPTION_KEY decodes to %d bytes", len(key))
	}
	if string(s.Data["MONGODB_URI"]) != mongoURI {
		t.Errorf("MONGODB_URI %q", s.Data["MONGODB_URI"])
	}
	if s.Annotations["helm.sh/resource-policy"] != "keep" {
		t.Errorf("secret is not kept on uninstall")
	}

	var hpa autoscalingv2.HorizontalPodAutoscaler
	decode(t, m, "HorizontalPodAutoscaler/"+fullname+"-worker", &hpa)
	if hpa.Spec.ScaleTargetRef.Name != fullname+"-worker" || len(hpa.Spec.Metrics) != 1 ||
		hpa.Spec.Metrics[0].Resource.Name != corev1.ResourceCPU {
		t.Errorf("hpa %+v", hpa.Spec)
	}
	var pdb policyv1.PodDisruptionBudget
	decode(t, m, "PodDisruptionBudget/"+fullname+"-control", &pdb)
	if pdb.Spec.MaxUnavailable == nil || pdb.Spec.MaxUnavailable.IntValue() != 1 {
		t.Errorf("control pdb must allow one disruption (single replica must stay drainable): %+v", pdb.Spec)
	}
	var svc corev1.Service
	decode(t, m, "Service/"+fullname+"-worker", &svc)
	if svc.Spec.Selector["app.kubernetes.io/component"] != "worker" {
		t.Errorf("worker service selector %v", svc.Spec.Selector)
	}
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func TestInstallWithoutMongoDBFailsWithAClearMessage(t *testing.T) {
	_, err := render(t, map[string]interface{}{}, false)
	if err == nil || !strings.Contains(err.Error(), "MongoDB is required") {
		t.Fatalf("want a MongoDB error, got %v", err)
	}
}

func TestMalformedSecretsAreRejected(t *testing.T) {
	cases := map[string]map[string]interface{}{
		"secrets.encryptionKey must be 32 bytes": {"encryptionKey": "not-hex"},
		"secrets.jwtSecret must be at least 32":  {"jwtSecret": "short"},
	}
	for want, secrets := range cases {
		_, err := render(t, withMongo(map[string]interface{}{"secrets": secrets}), false)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: want %q, got %v", secrets, want, err)
		}
	}
	_, err := render(t, map[string]interface{}{"mongodb": map[string]interface{}{"uri": "http://x"}}, false)
	if err == nil || !strings.Contains(err.Error(), "mongodb.uri must start with") {
		t.Errorf("bad mongodb uri: %v", err)
	}
}

// The generated secrets must survive `helm upgrade`: a new ENCRYPTION_KEY would make every stored
// provider credential undecryptable, a new JWT_SECRET would log everybody out.
func TestUpgradeKeepsGeneratedSecretsFromTheCluster(t *testing.T) {
	existing := &corev1.Secret{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: metav1.ObjectMeta{Name: fullname, Namespace: namespace},
		Data: map[string][]byte{
			"JWT_SECRET":     []byte("jwt-from-first-install-0123456789abcdef0123456789"),
			"ENCRYPTION_KEY": []byte(strings.Repeat("ab", 32)),
		},
	}
	for _, upgrade := range []bool{true, false} {
		m, err := render(t, withMongo(nil), upgrade, existing)
		if err != nil {
			t.Fatal(err)
		}
		var s corev1.Secret
		decode(t, m, "Secret/"+fullname, &s)
		if string(s.Data["JWT_SECRET"]) != string(existing.Data["JWT_SECRET"]) ||
			string(s.Data["ENCRYPTION_KEY"]) != string(existing.Data["ENCRYPTION_KEY"]) {
			t.Errorf("upgrade=%v regenerated the secrets: %q %q", upgrade, s.Data["JWT_SECRET"], s.Data["ENCRYPTION_KEY"])
		}
	}

	// Values given explicitly still win (rotation of the JWT secret).
	rotated := strings.Repeat("r", 40)
	m, err := render(t, withMongo(map[string]interface{}{"secrets": map[string]interface{}{"jwtSecret": rotated}}), true, existing)
	if err != nil {
		t.Fatal(err)
	}
	var s corev1.Secret
	decode(t, m, "Secret/"+fullname, &s)
	if string(s.Data["JWT_SECRET"]) != rotated || string(s.Data["ENCRYPTION_KEY"]) != strings.Repeat("ab", 32) {
		t.Errorf("explicit jwtSecret: got %q / %q", s.Data["JWT_SECRET"], s.Data["ENCRYPTION_KEY"])
	}
}

// Longest-prefix matching as the Ingress spec defines it (path elements split by "/").
func route(ing networkingv1.Ingress, path string) string {
	best, bestLen := "", -1
	for _, p := range ing.Spec.Rules[0].HTTP.Paths {
		prefix := strings.TrimSuffix(p.Path, "/")
		if path == prefix || prefix == "" || strings.HasPrefix(path, prefix+"/") {
			if len(prefix) > bestLen {
				best, bestLen = p.Backend.Service.Name, len(prefix)
			}
		}
	}
	return best
}

func TestIngressSendsAdminToControlAndGatewayToWorkers(t *testing.T) {
	m := mustRender(t, withMongo(map[string]interface{}{"ingress": map[string]interface{}{"enabled": true, "className": "nginx"}}))
	var ing networkingv1.Ingress
	decode(t, m, "Ingress/"+fullname, &ing)
	control, worker := fullname+"-control", fullname+"-worker"
	for path, want := range map[string]string{
		"/":                                  control,
		"/tenants/42":                        control,
		"/health":                            control,
		"/api/prism":                         control,
		"/api/prism/admin/tenants":           control,
		"/api/prism/auth/login":              control,
		"/api/docs":                          control,
		"/api/docs/openapi.json":             control,
		"/api/v1/chat/completions":           worker,
		"/api/acme/v1/chat/completions":      worker,
		"/api/acme/v1/models":                worker,
		"/v1/chat/completions":               worker,
		"/v1/messages":                       worker,
		"/v1/embeddings":                     worker,
		"/api/prismatic/v1/chat/completions": worker,
	} {
		if got := route(ing, path); got != want {
			t.Errorf("%s -> %s, want %s", path, got, want)
		}
	}
	if *ing.Spec.IngressClassName != "nginx" || ing.Spec.Rules[0].Host != "model-prism.example.com" {
		t.Errorf("ingress spec %+v", ing.Spec)
	}
}

func TestScaledExampleUsesManagedSecretsAndAutoscales(t *testing.T) {
	m := mustRender(t, readValues(t, filepath.Join(chartDir, "ci", "scaled-values.yaml")))

	var s corev1.Secret
	decode(t, m, "Secret/"+fullname, &s)
	if _, ok := s.Data["JWT_SECRET"]; ok {
		t.Errorf("chart generated JWT_SECRET although secrets.existingSecret is set")
	}
	if string(s.Data["REDIS_URL"]) != "redis://redis-master.redis.svc.cluster.local:6379/0" {
		t.Errorf("REDIS_URL %q", s.Data["REDIS_URL"])
	}

	var d appsv1.Deployment
	decode(t, m, "Deployment/"+fullname+"-worker", &d)
	c := d.Spec.Template.Spec.Containers[0]
	mongo := envOf(c)["MONGODB_URI"]
	if mongo.ValueFrom == nil || mongo.ValueFrom.SecretKeyRef.Name != "model-prism-mongodb-admin-prism" ||
		mongo.ValueFrom.SecretKeyRef.Key != "connectionString.standard" {
		t.Errorf("MONGODB_URI env %+v", mongo)
	}
	// Chart secret first, managed secret last: the managed one wins on duplicate keys.
	if len(c.EnvFrom) != 3 || c.EnvFrom[1].SecretRef.Name != fullname || c.EnvFrom[2].SecretRef.Name != "model-prism-app" {
		t.Errorf("envFrom %+v", c.EnvFrom)
	}
	if c.Image != "registry.example.com/platform/model-prism:0.1.0" {
		t.Errorf("image %s", c.Image)
	}

	var control appsv1.Deployment
	decode(t, m, "Deployment/"+fullname+"-control", &control)
	if *control.Spec.Replicas != 2 {
		t.Errorf("control replicas %d", *control.Spec.Replicas)
	}
	var hpa autoscalingv2.HorizontalPodAutoscaler
	decode(t, m, "HorizontalPodAutoscaler/"+fullname+"-worker", &hpa)
	if *hpa.Spec.MinReplicas != 3 || hpa.Spec.MaxReplicas != 20 || len(hpa.Spec.Metrics) != 2 {
		t.Errorf("hpa %+v", hpa.Spec)
	}
	var pdb policyv1.PodDisruptionBudget
	decode(t, m, "PodDisruptionBudget/"+fullname+"-worker", &pdb)
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() != 2 || pdb.Spec.MaxUnavailable != nil {
		t.Errorf("worker pdb %+v", pdb.Spec)
	}
	var ing networkingv1.Ingress
	decode(t, m, "Ingress/"+fullname, &ing)
	if len(ing.Spec.TLS) != 1 || ing.Annotations["nginx.ingress.kubernetes.io/proxy-buffering"] != "off" {
		t.Errorf("ingress %+v", ing)
	}
	if _, ok := m["ServiceMonitor/"+fullname]; !ok {
		t.Errorf("ServiceMonitor not rendered")
	}
}

func TestTrustProxyFollowsTheIngress(t *testing.T) {
	trustProxy := func(vals map[string]interface{}) string {
		var cm corev1.ConfigMap
		decode(t, mustRender(t, withMongo(vals)), "ConfigMap/"+fullname, &cm)
		return cm.Data["TRUST_PROXY"]
	}
	if got := trustProxy(nil); got != "off" {
		t.Errorf("without ingress TRUST_PROXY=%q, want off (no client may choose its address)", got)
	}
	if got := trustProxy(map[string]interface{}{"ingress": map[string]interface{}{"enabled": true}}); got != "1" {
		t.Errorf("with ingress TRUST_PROXY=%q, want 1 (the ingress controller)", got)
	}
	explicit := map[string]interface{}{
		"ingress": map[string]interface{}{"enabled": true},
		"config":  map[string]interface{}{"trustProxy": "10.42.0.0/16"},
	}
	if got := trustProxy(explicit); got != "10.42.0.0/16" {
		t.Errorf("explicit TRUST_PROXY=%q", got)
	}
}
