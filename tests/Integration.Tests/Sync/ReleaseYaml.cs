namespace GitOps.Integration.Tests.Sync;

/// <summary>Manifests with release annotations (waves, hooks), as a repository would hold them.</summary>
internal static class ReleaseYaml
{
    public static string ConfigMap(string ns, string name, string value, params (string Key, string Value)[] annotations) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {ns}
          annotations:
        {Annotations(annotations, "    ")}
        data:
          value: "{value}"
        """;

    /// <summary>A Deployment whose pods never become Ready, with a simulated kubelet or without one.</summary>
    public static string NeverReadyDeployment(string ns, string name, params (string Key, string Value)[] annotations) =>
        Deployment(ns, name, "nginx:1.25", readySeconds: 3600, annotations);

    /// <summary>A Deployment of one replica whose simulated pod is Ready <paramref name="readySeconds"/> after it runs.</summary>
    public static string Deployment(string ns, string name, string image, int readySeconds, params (string Key, string Value)[] annotations) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
          annotations:
        {Annotations(annotations, "    ")}
        spec:
          replicas: 1
          selector:
            matchLabels: {"{"}app: {name}{"}"}
          template:
            metadata:
              labels: {"{"}app: {name}{"}"}
              annotations:
                sim.gitops.dev/ready-seconds: "{readySeconds}"
            spec:
              containers:
              - name: {name}
                image: {image}
        """;

    /// <summary>A Job whose one simulated pod runs <paramref name="runSeconds"/> and exits with <paramref name="exitCode"/>, never retried.</summary>
    public static string Job(string ns, string name, int runSeconds, int exitCode, params (string Key, string Value)[] annotations) => $"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {name}
          namespace: {ns}
          annotations:
        {Annotations(annotations, "    ")}
        spec:
          backoffLimit: 0
          template:
            metadata:
              annotations:
                sim.gitops.dev/run-seconds: "{runSeconds}"
                sim.gitops.dev/exit-code: "{exitCode}"
            spec:
              restartPolicy: Never
              containers:
              - name: migrate
                image: web:1
        """;

    /// <summary>A Job the server refuses to create (a Job's pods may not restart Always): refused by the dry-run before anything of its revision is written.</summary>
    public static string InvalidJob(string ns, string name, params (string Key, string Value)[] annotations) => $"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {name}
          namespace: {ns}
          annotations:
        {Annotations(annotations, "    ")}
        spec:
          template:
            spec:
              restartPolicy: Always
              containers:
              - name: migrate
                image: busybox
        """;

    private static string Annotations((string Key, string Value)[] annotations, string indent) =>
        annotations.Length == 0 ? $"{indent}none: \"\"" : string.Join("\n", annotations.Select(a => $"{indent}{a.Key}: \"{a.Value}\""));
}
