using System.Text;
using System.Text.Json.Nodes;
using GitOps.Diff.Render;

namespace GitOps.Benchmarks;

/// <summary>
/// A synthetic repository the size of a large real one: ConfigMaps and Deployments spread over
/// many files (some single-document, some multi-document), written as people write them.
/// </summary>
internal static class GeneratedRepository
{
    public static IReadOnlyList<ManifestFile> Files(int objects, int objectsPerFile)
    {
        var files = new List<ManifestFile>();
        var text = new StringBuilder();
        for (var i = 0; i < objects; i++)
        {
            if (text.Length > 0)
            {
                text.Append("---\n");
            }

            text.Append(i % 2 == 0 ? ConfigMap(i) : Deployment(i));
            if ((i + 1) % objectsPerFile == 0 || i == objects - 1)
            {
                files.Add(new ManifestFile($"apps/team-{i % 17}/file-{i:D5}.yaml", Encoding.UTF8.GetBytes(text.ToString())));
                text.Clear();
            }
        }

        return files;
    }

    public static string ConfigMap(int i) => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: config-{{i}}
          namespace: team-{{i % 17}}
          labels:
            app.kubernetes.io/name: app-{{i}}
            app.kubernetes.io/part-of: bench
        data:
          LOG_LEVEL: "info"
          WORKERS: "4"
          FEATURE_FLAGS: "a,b,c"
          settings.yaml: |
            server:
              port: 8080
              timeout: 30s
            cache:
              enabled: true

        """;

    public static string Deployment(int i) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app-{{{i}}}
          namespace: team-{{{i % 17}}}
          labels: &labels
            app.kubernetes.io/name: app-{{{i}}}
            app.kubernetes.io/part-of: bench
        spec:
          replicas: 2
          selector:
            matchLabels: *labels
          template:
            metadata:
              labels: *labels
            spec:
              containers:
                - name: web
                  image: registry.example.com/app-{{{i}}}:1.0.{{{i % 10}}}
                  ports:
                    - {name: http, containerPort: 8080, protocol: TCP}
                  env:
                    - name: CONFIG
                      valueFrom: {configMapKeyRef: {name: config-{{{i - 1}}}, key: LOG_LEVEL}}
                    - name: PORT
                      value: "8080"
                  resources:
                    requests: {cpu: 100m, memory: 128Mi}
                    limits: {cpu: "1", memory: 512Mi}
                  readinessProbe:
                    httpGet: {path: /healthz, port: http}
                    periodSeconds: 10

        """;

    /// <summary>What the server would hold for <paramref name="desired"/>: server fields and status added.</summary>
    public static JsonObject Live(JsonObject desired, int i)
    {
        var live = desired.DeepClone().AsObject();
        var metadata = live["metadata"]!.AsObject();
        metadata["uid"] = $"00000000-0000-0000-0000-{i:D12}";
        metadata["resourceVersion"] = (100_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["generation"] = 3;
        metadata["creationTimestamp"] = "2026-11-26T14:00:00Z";
        metadata["managedFields"] = new JsonArray(new JsonObject
        {
            ["manager"] = "gitops-agent",
            ["operation"] = "Apply",
            ["apiVersion"] = "v1",
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = new JsonObject { ["f:metadata"] = new JsonObject { ["f:labels"] = new JsonObject() } },
        });
        if ((string?)live["kind"] == "Deployment")
        {
            live["status"] = new JsonObject { ["replicas"] = 2, ["readyReplicas"] = 2, ["observedGeneration"] = 3 };
        }

        return live;
    }
}
