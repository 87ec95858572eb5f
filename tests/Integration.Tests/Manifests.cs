namespace GitOps.Integration.Tests;

/// <summary>A small CRD of the tests' own and its resources.</summary>
internal static class Manifests
{
    public static string WidgetCrd(string group) => $"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.{group}
        spec:
          group: {group}
          scope: Namespaced
          names: {"{"}plural: widgets, singular: widget, kind: Widget, listKind: WidgetList{"}"}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {"{"}type: integer{"}"}
        """;

    public static string Widget(string group, string ns, string name, int size) => $"""
        apiVersion: {group}/v1
        kind: Widget
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          size: {size}
        """;

    /// <param name="readySeconds">The simulated pods' delay before Ready (sim.gitops.dev/ready-seconds; default 0).</param>
    public static string Deployment(string ns, string name, string selector, string image = "nginx:1.25", bool recreate = false, int? readySeconds = null)
    {
        var (key, value) = (selector.Split('=')[0], selector.Split('=')[1]);
        var annotations = recreate ? "\n  annotations:\n    gitops.dev/recreate: \"true\"" : string.Empty;
        var podAnnotations = readySeconds is { } delay ? $"\n      annotations: {{\"sim.gitops.dev/ready-seconds\": \"{delay}\"}}" : string.Empty;
        return $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {name}
              namespace: {ns}{annotations}
            spec:
              replicas: 1
              selector:
                matchLabels: {"{"}{key}: {value}{"}"}
              template:
                metadata:
                  labels: {"{"}{key}: {value}{"}"}{podAnnotations}
                spec:
                  containers:
                  - name: web
                    image: {image}
            """;
    }
}
