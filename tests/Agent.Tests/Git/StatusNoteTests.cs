using GitOps.Agent.Git;

namespace GitOps.Agent.Tests.Git;

public sealed class StatusNoteTests
{
    internal static CommitStatusEntry Entry(string cluster = "prod", string target = "django", string phase = "Synced", string? message = null) => new(
        cluster,
        target,
        phase,
        "Healthy",
        new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero),
        new Dictionary<string, int> { ["pruned"] = 1, ["unchanged"] = 10, ["created"] = 3, ["configured"] = 2 },
        message,
        "0.1.0");

    [Fact]
    public void HumanLine_ListsCountsInActionOrder()
    {
        Assert.Equal(
            "prod/django: Synced Healthy 2026-11-26T14:00:00Z created=3 configured=2 unchanged=10 pruned=1",
            StatusNote.HumanLine(Entry()));
    }

    [Fact]
    public void HumanLine_LocalTime_IsWrittenInUtc()
    {
        var entry = Entry() with { Time = new DateTimeOffset(2026, 11, 26, 16, 0, 0, TimeSpan.FromHours(2)) };

        Assert.Contains(" 2026-11-26T14:00:00Z ", StatusNote.HumanLine(entry), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_IsHumanLineThenIndentedJson()
    {
        var lines = StatusNote.Format(Entry()).Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("  {\"v\":1,\"cluster\":\"prod\",\"target\":\"django\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RoundTripsEveryField()
    {
        var entry = Entry(phase: "Failed", message: "Deployment/default/web: \"image\" pull failed\nsecond line");

        var parsed = Assert.Single(StatusNote.Parse(StatusNote.Upsert(null, entry)));

        Assert.Equal(entry.Cluster, parsed.Cluster);
        Assert.Equal(entry.Target, parsed.Target);
        Assert.Equal(entry.Phase, parsed.Phase);
        Assert.Equal(entry.Health, parsed.Health);
        Assert.Equal(entry.Time, parsed.Time);
        Assert.Equal(entry.Counts.OrderBy(c => c.Key), parsed.Counts.OrderBy(c => c.Key));
        Assert.Equal(entry.Message, parsed.Message);
        Assert.Equal(entry.AgentVersion, parsed.AgentVersion);
    }

    [Fact]
    public void HumanLine_MultiLineMessage_KeepsOnlyTheFirstLine()
    {
        var line = StatusNote.HumanLine(Entry(phase: "Failed", message: "apply failed\nDeployment/web: details"));

        Assert.EndsWith(" - apply failed", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Upsert_ReplacesOnlyTheSameClusterAndTarget_AndSortsBlocks()
    {
        var note = StatusNote.Upsert(null, Entry("staging"));
        note = StatusNote.Upsert(note, Entry("prod", phase: "Progressing"));
        note = StatusNote.Upsert(note, Entry("prod", phase: "Synced"));
        note = StatusNote.Upsert(note, Entry("prod", target: "api"));

        var entries = StatusNote.Parse(note);

        Assert.Equal(["prod/api:Synced", "prod/django:Synced", "staging/django:Synced"], entries.Select(e => $"{e.Cluster}/{e.Target}:{e.Phase}"));
        Assert.Contains("\n\nprod/django: Synced", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Upsert_KeepsBlocksItCannotRead()
    {
        const string handWritten = "deployed by hand on friday\n  not json either";

        var note = StatusNote.Upsert(handWritten + "\n", Entry());

        Assert.Single(StatusNote.Parse(note));
        Assert.EndsWith("\n\n" + handWritten + "\n", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Upsert_SameEntryAgain_GivesTheSameText()
    {
        var once = StatusNote.Upsert(null, Entry());

        Assert.Equal(once, StatusNote.Upsert(once, Entry()));
    }

    [Theory]
    [InlineData("", "django")]
    [InlineData("prod", "dj ango")]
    [InlineData("prod\n", "django")]
    public void Validate_NamesThatBreakTheLayout_AreRefused(string cluster, string target)
    {
        Assert.Throws<ArgumentException>(() => StatusNote.Validate(Entry(cluster, target)));
    }
}
