namespace GitOps.TestSupport.Helm;

/// <summary>Small charts for the chart repository tests: a library chart to publish, and an app chart depending on it.</summary>
public static class ChartFolders
{
    /// <summary>Writes chart <c>lib</c> at <paramref name="version"/> under <paramref name="parent"/>: a ConfigMap naming its version, and a Service.</summary>
    public static string Lib(string parent, string version, string name = "lib")
    {
        var dir = Path.Combine(parent, $"{name}-{version}-src");
        Directory.CreateDirectory(Path.Combine(dir, "templates"));
        File.WriteAllText(Path.Combine(dir, "Chart.yaml"), $"apiVersion: v2\nname: {name}\nversion: {version}\n");
        File.WriteAllText(Path.Combine(dir, "values.yaml"), "port: 80\n");
        File.WriteAllText(Path.Combine(dir, "templates", "cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\ndata:\n  libVersion: {{ .Chart.Version | quote }}\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n");
        File.WriteAllText(Path.Combine(dir, "templates", "svc.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\nspec:\n  ports:\n    - port: {{ .Values.port }}\n");
        return dir;
    }

    /// <summary>Writes chart <c>app</c> in <paramref name="dir"/>, depending on <c>lib</c> <paramref name="version"/> from <paramref name="repository"/>.</summary>
    public static void App(string dir, string repository, string version, string dependency = "lib")
    {
        Directory.CreateDirectory(Path.Combine(dir, "templates"));
        File.WriteAllText(Path.Combine(dir, "Chart.yaml"),
            $"apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: {dependency}\n    version: \"{version}\"\n    repository: \"{repository}\"\n");
        File.WriteAllText(Path.Combine(dir, "values.yaml"), $"{dependency}:\n  port: 8080\n");
        File.WriteAllText(Path.Combine(dir, "templates", "app.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-app\ndata:\n  release: {{ .Release.Name }}\n");
    }

    /// <summary>A copy of a folder in a new temp folder.</summary>
    public static string Copy(string dir)
    {
        var copy = Directory.CreateTempSubdirectory("gitops-chart-copy-").FullName;
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy, Path.GetRelativePath(dir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return copy;
    }
}
