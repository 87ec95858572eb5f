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
}
