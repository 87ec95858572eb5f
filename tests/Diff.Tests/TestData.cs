namespace GitOps.Diff.Tests;

/// <summary>Golden folders under testdata/, copied beside the test assembly.</summary>
internal static class TestData
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "testdata");

    /// <summary>The case folders of one area (e.g. "render"), as theory data.</summary>
    public static TheoryData<string> Cases(string area)
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(Root, area)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    public static string Folder(string area, string name) => Path.Combine(Root, area, name);
}
