using System.Buffers;
using System.Text.Json;
using GitOps.Agent.Git;
using GitOps.Agent.Sync;
using GitOps.Diff.Drift;

namespace GitOps.Agent.Hosting.Web;

/// <summary>
/// The JSON of <c>/api/...</c>, written field by field (the contract is this file, documented in
/// the README): camelCase keys, times as ISO 8601 UTC, enums in the words the pages show.
/// Holds no field values of objects, only their paths.
/// </summary>
internal static class ApiJson
{
    public static byte[] Targets(ViewSnapshot snapshot, TargetPage page) => Write(w =>
    {
        w.WriteNumber("version", snapshot.Version);
        w.WriteNumber("total", page.Counts.Total);
        w.WriteNumber("matched", page.Matched);
        w.WriteNumber("offset", page.Offset);
        w.WriteNumber("limit", page.Limit);
        w.WriteStartObject("counts");
        w.WriteNumber("synced", page.Counts.Synced);
        w.WriteNumber("failed", page.Counts.Failed);
        w.WriteNumber("progressing", page.Counts.Progressing);
        w.WriteNumber("pending", page.Counts.Pending);
        w.WriteNumber("problems", page.Counts.Problems);
        w.WriteEndObject();
        w.WriteStartArray("targets");
        foreach (var t in page.Targets)
        {
            w.WriteStartObject();
            Summary(w, t);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static byte[] Target(ViewSnapshot snapshot, TargetView t) => Write(w =>
    {
        w.WriteNumber("version", snapshot.Version);
        Summary(w, t);
        w.WriteStartArray("objects");
        foreach (var o in t.LastPass?.Objects ?? [])
        {
            Object(w, o);
        }

        w.WriteEndArray();
        Hooks(w, t.LastRelease?.Hooks ?? []);
        w.WritePropertyName("drift");
        if (t.LastDrift is { } drift)
        {
            w.WriteStartObject();
            w.WriteString("commit", drift.Commit);
            w.WriteString("time", drift.Time);
            w.WriteStartArray("objects");
            foreach (var o in drift.Objects.Where(o => o.ChangedPaths.Count > 0))
            {
                Object(w, o);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteStartArray("commits");
        foreach (var c in t.History.Commits)
        {
            w.WriteStartObject();
            Commit(w, c, t.Name);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static byte[] Commit(ViewSnapshot snapshot, TargetView t, CommitRecord c) => Write(w =>
    {
        w.WriteNumber("version", snapshot.Version);
        w.WriteString("target", t.Name);
        Commit(w, c, t.Name);
        w.WriteString("message", c.Message);
        w.WriteStartArray("files");
        foreach (var f in c.ChangedFiles)
        {
            w.WriteStringValue(f);
        }

        w.WriteEndArray();
        w.WriteNumber("moreFiles", c.MoreFiles);
        w.WritePropertyName("pass");
        if (t.PassAt(c.Sha) is { } pass)
        {
            w.WriteStartObject();
            w.WriteString("phase", pass.Phase.ToString());
            w.WriteString("health", pass.Health.ToString());
            w.WriteString("message", pass.Message);
            w.WriteString("time", pass.Time);
            w.WriteStartArray("objects");
            foreach (var o in pass.Changed)
            {
                Object(w, o);
            }

            w.WriteEndArray();
            Hooks(w, pass.Hooks);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNullValue();
        }
    });

    public static byte[] Error(string message) => Write(w => w.WriteString("error", message));

    private static void Summary(Utf8JsonWriter w, TargetView t)
    {
        w.WriteString("name", t.Name);
        w.WriteString("repository", t.Repository);
        w.WriteString("branch", t.Branch);
        w.WriteString("path", t.Path);
        w.WriteString("phase", t.Phase.ToString());
        w.WriteString("health", t.Health.ToString());
        NullableString(w, "liveCommit", t.LiveCommit);
        NullableString(w, "lastCommit", t.LastPass?.Commit is { Length: > 0 } c ? c : null);
        w.WritePropertyName("lastSync");
        if (t.LastSync is { } time)
        {
            w.WriteStringValue(time);
        }
        else
        {
            w.WriteNullValue();
        }

        NullableString(w, "lastError", t.LastError);
    }

    private static void Object(Utf8JsonWriter w, ObjectView o)
    {
        w.WriteStartObject();
        w.WriteString("group", o.Key.Group);
        w.WriteString("kind", o.Key.Kind);
        NullableString(w, "namespace", o.Key.Namespace);
        w.WriteString("name", o.Key.Name);
        w.WritePropertyName("wave");
        if (o.Wave is { } wave)
        {
            w.WriteNumberValue(wave);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteString("action", o.Action.ToContract());
        w.WriteString("health", o.Health.ToString());
        NullableString(w, "healthReason", o.HealthReason);
        NullableString(w, "message", o.Message);
        w.WriteStartArray("changedPaths");
        foreach (var p in o.ChangedPaths)
        {
            w.WriteStringValue(p);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A pass's hooks, in the words of <c>gitops sync -o json</c>.</summary>
    private static void Hooks(Utf8JsonWriter w, IReadOnlyList<HookResult> hooks)
    {
        w.WriteStartArray("hooks");
        foreach (var k in hooks)
        {
            w.WriteStartObject();
            w.WriteString("group", k.Key.Group);
            w.WriteString("kind", k.Key.Kind);
            NullableString(w, "namespace", k.Key.Namespace);
            w.WriteString("name", k.Key.Name);
            w.WriteString("phase", k.Phase.ToString());
            w.WriteString("outcome", k.Outcome.ToContract());
            w.WriteString("message", k.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Commit(Utf8JsonWriter w, CommitRecord c, string target)
    {
        w.WriteString("sha", c.Sha);
        w.WriteString("subject", c.Subject);
        w.WriteString("author", c.Author);
        w.WriteString("time", c.Time.ToUniversalTime());
        w.WriteStartArray("statuses");
        foreach (var e in c.Entries.Where(e => e.Target == target))
        {
            w.WriteStartObject();
            w.WriteString("cluster", e.Cluster);
            w.WriteString("phase", e.Phase);
            w.WriteString("health", e.Health);
            w.WriteString("time", e.Time.ToUniversalTime());
            NullableString(w, "message", e.Message);
            w.WriteStartObject("counts");
            foreach (var (action, count) in e.Counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteNumber(action, count);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
