{{/* Chart name, truncated to the 63-character DNS label limit. */}}
{{- define "model-prism.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name; leaves room for the "-control"/"-worker" suffixes. */}}
{{- define "model-prism.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 55 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 55 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 55 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "model-prism.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "model-prism.labels" -}}
helm.sh/chart: {{ include "model-prism.chart" . }}
{{ include "model-prism.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: model-prism
{{- end }}

{{- define "model-prism.selectorLabels" -}}
app.kubernetes.io/name: {{ include "model-prism.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component. Call with (dict "root" $ "component" "control"). */}}
{{- define "model-prism.componentLabels" -}}
{{ include "model-prism.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "model-prism.componentSelectorLabels" -}}
{{ include "model-prism.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "model-prism.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "model-prism.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "model-prism.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* The chart's own Secret (generated app secrets and/or connection strings given as values). */}}
{{- define "model-prism.secretName" -}}
{{- include "model-prism.fullname" . }}
{{- end }}

{{/* True ("true") when the chart renders its own Secret. */}}
{{- define "model-prism.rendersSecret" -}}
{{- $s := .Values.secrets }}
{{- if or (not $s.existingSecret) $s.bootstrapAdminPassword (and .Values.mongodb.uri (not .Values.mongodb.existingSecret)) (and .Values.redis.url (not .Values.redis.existingSecret)) }}true{{ end }}
{{- end }}

{{/*
Fails early (on install/upgrade, not during `helm lint`) when no MongoDB connection is configured,
and always on malformed secrets given as values.
*/}}
{{- define "model-prism.validate" -}}
{{- $s := .Values.secrets }}
{{- if and $s.encryptionKey (not (regexMatch "^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$" $s.encryptionKey)) }}
{{- fail "secrets.encryptionKey must be 32 bytes as 64 hex characters (openssl rand -hex 32)" }}
{{- end }}
{{- if and $s.jwtSecret (lt (len $s.jwtSecret) 32) }}
{{- fail "secrets.jwtSecret must be at least 32 characters (or leave it empty to generate one)" }}
{{- end }}
{{- if and $s.bootstrapAdminPassword (lt (len $s.bootstrapAdminPassword) 12) }}
{{- fail "secrets.bootstrapAdminPassword must be at least 12 characters" }}
{{- end }}
{{- if and $s.bootstrapAdminPassword (not .Values.config.bootstrapAdminUsername) }}
{{- fail "secrets.bootstrapAdminPassword needs config.bootstrapAdminUsername" }}
{{- end }}
{{- if and .Values.mongodb.uri (not (regexMatch "^mongodb(\\+srv)?://.+" .Values.mongodb.uri)) }}
{{- fail "mongodb.uri must start with mongodb:// or mongodb+srv://" }}
{{- end }}
{{- if and .Values.redis.url (not (regexMatch "^rediss?://.+" .Values.redis.url)) }}
{{- fail "redis.url must start with redis:// or rediss://" }}
{{- end }}
{{- if and (or .Release.IsInstall .Release.IsUpgrade) (not (or .Values.mongodb.uri .Values.mongodb.existingSecret $s.existingSecret)) }}
{{- fail "MongoDB is required: set mongodb.uri, mongodb.existingSecret, or secrets.existingSecret with a MONGODB_URI key" }}
{{- end }}
{{- if and .Values.worker.autoscaling.enabled (lt (int .Values.worker.autoscaling.maxReplicas) (int .Values.worker.autoscaling.minReplicas)) }}
{{- fail "worker.autoscaling.maxReplicas must be >= minReplicas" }}
{{- end }}
{{- end }}
