{{/* The chart's name, overridable. */}}
{{- define "roster.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The StatefulSet's name, and so every pod's name prefix and member name (<fullname>-<ordinal>).
Kept short enough that "<fullname>-NN" and "<fullname>-headless" stay valid DNS labels.
*/}}
{{- define "roster.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "roster.headless" -}}
{{- printf "%s-headless" (include "roster.fullname" .) -}}
{{- end -}}

{{- define "roster.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "roster.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "roster.selectorLabels" -}}
app.kubernetes.io/name: {{ include "roster.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "roster.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "roster.clientScheme" -}}
{{- if .Values.tls.enabled -}}https{{- else -}}http{{- end -}}
{{- end -}}

{{- define "roster.peerScheme" -}}
{{- if .Values.peerTls.enabled -}}https{{- else -}}http{{- end -}}
{{- end -}}

{{/* Pod <ordinal>'s DNS name through the headless Service: stable across restarts and rescheduling. */}}
{{- define "roster.podHost" -}}
{{- printf "%s-%d.%s.%s.svc.%s" (include "roster.fullname" .root) (int .ordinal) (include "roster.headless" .root) .root.Release.Namespace .root.Values.clusterDomain -}}
{{- end -}}

{{/* The client Service's DNS name. */}}
{{- define "roster.serviceHost" -}}
{{- printf "%s.%s.svc.%s" (include "roster.fullname" .) .Release.Namespace .Values.clusterDomain -}}
{{- end -}}

{{- define "roster.token" -}}
{{- default (printf "%s-%s" .Release.Namespace (include "roster.fullname" .)) .Values.cluster.token -}}
{{- end -}}

{{/*
The number of members the cluster was bootstrapped with. A pod with an empty data dir that finds no
running member bootstraps a new cluster only if its ordinal is below this; a pod added later must join.
Recorded at install and carried over on upgrades from the live ConfigMap (lookup answers nothing under
"helm template" or --dry-run, where it falls back to replicas).
*/}}
{{- define "roster.bootstrapReplicas" -}}
{{- $bootstrap := .Values.replicas -}}
{{- if not .Release.IsInstall -}}
{{- $live := lookup "v1" "ConfigMap" .Release.Namespace (printf "%s-config" (include "roster.fullname" .)) -}}
{{- if and $live $live.data (hasKey $live.data "bootstrap-replicas") -}}
{{- $bootstrap = index $live.data "bootstrap-replicas" | trim | int -}}
{{- end -}}
{{- end -}}
{{- $bootstrap -}}
{{- end -}}

{{/* A majority must stay: at most floor((n-1)/2) members may be disrupted at once. */}}
{{- define "roster.maxUnavailable" -}}
{{- if ne (toString .Values.podDisruptionBudget.maxUnavailable) "" -}}
{{- .Values.podDisruptionBudget.maxUnavailable -}}
{{- else -}}
{{- div (sub (int .Values.replicas) 1) 2 -}}
{{- end -}}
{{- end -}}

{{/*
The tokens the members accept, from the auth Secret (nothing when auth is off). The server reads them as
roster.auth.tokens; the start script and the scale-down hook give rosterctl the first of them.
*/}}
{{- define "roster.authEnv" -}}
{{- if .Values.auth.enabled -}}
- name: ROSTER_AUTH_TOKENS
  valueFrom:
    secretKeyRef:
      name: {{ required "auth.secretName is required when auth.enabled is true" .Values.auth.secretName }}
      key: {{ .Values.auth.secretKey }}
{{- end -}}
{{- end -}}

{{/* Whether the client port asks clients for certificates: "none" or "want" (see values.yaml tls.clientAuth). */}}
{{- define "roster.clientAuth" -}}
{{- $mode := .Values.tls.clientAuth | default "none" -}}
{{- if eq $mode "need" -}}
{{- fail "tls.clientAuth=need would refuse kubelet's HTTPS probes, which present no certificate: use want (a certificate signs its user in, others use tokens)" -}}
{{- else if not (has $mode (list "none" "want")) -}}
{{- fail (printf "tls.clientAuth must be none or want, not %s" $mode) -}}
{{- end -}}
{{- $mode -}}
{{- end -}}
