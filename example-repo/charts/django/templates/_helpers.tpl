{{- define "django.labels" -}}
app.kubernetes.io/name: django-web
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: web
app.kubernetes.io/part-of: django-demo
{{- end -}}
{{- define "django.selector" -}}
app.kubernetes.io/name: django-web
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
