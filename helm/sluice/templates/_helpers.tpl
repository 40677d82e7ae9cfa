{{/* The chart's name, or nameOverride. */}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's prefix for every object: fullnameOverride, or <release>-sluice (just <release> when it contains the chart's name). */}}
{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "sluice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "sluice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sluice
{{- end }}

{{/* Selector labels of one component: (dict "root" $ "component" "job-api"). */}}
{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Every label of one component's objects: (dict "root" $ "component" "job-api"). */}}
{{- define "sluice.componentLabels" -}}
{{ include "sluice.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "sluice.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "sluice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sluice.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the JDBC password, provider API keys and webhook secret key. */}}
{{- define "sluice.secretName" -}}
{{- default (include "sluice.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* SLUICE_PROVIDER_<NAME>, as `sluice serve` derives it from a provider's name. */}}
{{- define "sluice.providerVariable" -}}
{{- printf "SLUICE_PROVIDER_%s" (. | upper | replace "-" "_") }}
{{- end }}

{{/* Whether a provider's kind has a batch API (what the batch-submitter serves). */}}
{{- define "sluice.hasBatchApi" -}}
{{- if has (default "" .kind) (list "openai" "anthropic") }}true{{ end }}
{{- end }}

{{/* SLUICE_JDBC_USER (from postgres.existingSecret) and SLUICE_JDBC_PASSWORD, as env entries. */}}
{{- define "sluice.jdbcSecretEnv" -}}
{{- if .Values.postgres.existingSecret }}
- name: SLUICE_JDBC_USER
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgres.existingSecret }}
      key: {{ .Values.postgres.userKey }}
- name: SLUICE_JDBC_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgres.existingSecret }}
      key: {{ .Values.postgres.passwordKey }}
{{- else }}
- name: SLUICE_JDBC_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "sluice.secretName" . }}
      key: SLUICE_JDBC_PASSWORD
{{- end }}
{{- end }}

{{/* SLUICE_PROVIDER_<NAME>_API_KEY of one provider: (dict "root" $ "name" "openai"). */}}
{{- define "sluice.providerKeyEnv" -}}
{{- $variable := printf "%s_API_KEY" (include "sluice.providerVariable" .name) }}
- name: {{ $variable }}
  valueFrom:
    secretKeyRef:
      name: {{ include "sluice.secretName" .root }}
      key: {{ $variable }}
{{- end }}

{{/* SLUICE_PROVIDER_<NAME>_KIND and _BASE_URL of one provider, as ConfigMap data: (dict "name" "openai" "provider" $provider). */}}
{{- define "sluice.providerConfig" -}}
{{- $variable := include "sluice.providerVariable" .name -}}
{{ $variable }}_KIND: {{ default .name .provider.kind | quote }}
{{- if .provider.baseUrl }}
{{ $variable }}_BASE_URL: {{ .provider.baseUrl | quote }}
{{- end }}
{{- end }}

{{/* The variables every component reads. */}}
{{- define "sluice.commonConfig" -}}
SLUICE_KAFKA_BOOTSTRAP: {{ required "kafka.bootstrap is required (Strimzi: <cluster>-kafka-bootstrap:9092)" .Values.kafka.bootstrap | quote }}
SLUICE_TOPIC_PREFIX: {{ .Values.kafka.topicPrefix | quote }}
SLUICE_MANAGEMENT_PORT: {{ .Values.management.port | quote }}
{{- if .Values.javaOpts }}
SLUICE_JAVA_OPTS: {{ .Values.javaOpts | quote }}
{{- end }}
{{- if .Values.heap }}
SLUICE_HEAP: {{ .Values.heap | quote }}
{{- end }}
{{- end }}

{{/* SLUICE_JDBC_URL and, unless it comes from postgres.existingSecret, SLUICE_JDBC_USER. */}}
{{- define "sluice.jdbcConfig" -}}
SLUICE_JDBC_URL: {{ required "postgres.jdbcUrl is required (CloudNativePG: jdbc:postgresql://<cluster>-rw:5432/app)" .Values.postgres.jdbcUrl | quote }}
{{- if not .Values.postgres.existingSecret }}
SLUICE_JDBC_USER: {{ .Values.postgres.user | quote }}
{{- end }}
{{- end }}

{{- define "sluice.deadlineConfig" -}}
SLUICE_DEADLINE_BATCH_WINDOW: {{ .Values.deadlines.batchWindow | quote }}
SLUICE_DEADLINE_BATCH_MARGIN: {{ .Values.deadlines.batchMargin | quote }}
SLUICE_DEADLINE_REALTIME_LEAD: {{ .Values.deadlines.realtimeLead | quote }}
{{- end }}
