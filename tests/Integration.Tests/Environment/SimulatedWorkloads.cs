using System.Text.Json.Nodes;
using GitOps.Integration.Tests.Agent;

namespace GitOps.Integration.Tests.Environment;

/// <summary>Workloads for the pod simulator's tests, steered by its sim.gitops.dev annotations.</summary>
internal static class SimulatedWorkloads
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static string Job(string ns, string name, int exitCode = 0, string restartPolicy = "Never") => $"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          backoffLimit: 0
          template:
            metadata:
              annotations:
                sim.gitops.dev/exit-code: "{exitCode}"
            spec:
              restartPolicy: {restartPolicy}
              containers:
              - name: main
                image: busybox:1.36
        """;

    public static string StatefulSet(string ns, string name) => $"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          serviceName: {name}
          replicas: 1
          selector:
            matchLabels: {"{"}app: {name}{"}"}
          template:
            metadata:
              labels: {"{"}app: {name}{"}"}
            spec:
              containers:
              - name: postgres
                image: postgres:16
          volumeClaimTemplates:
          - metadata:
              name: data
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 2Gi
        """;

    /// <summary>The object at <paramref name="path"/> once <paramref name="done"/> holds for it.</summary>
    public static Task<JsonObject> WaitForAsync(SyncHarness h, string path, Func<JsonObject, bool> done, string what) =>
        AgentHarness.EventuallyAsync(async () => await h.GetAsync(path) is { } obj && done(obj) ? obj : null, Patience, what);

    public static bool HasCondition(JsonObject obj, string type) =>
        obj["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["type"] == type && (string?)c["status"] == "True") == true;

    public static JsonArray Pods(SyncHarness h, string selector) =>
        h.GetAsync($"/api/v1/namespaces/{h.Namespace}/pods?labelSelector={Uri.EscapeDataString(selector)}").GetAwaiter().GetResult()!["items"]!.AsArray();
}
