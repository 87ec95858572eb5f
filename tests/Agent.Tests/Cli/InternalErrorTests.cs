using GitOps.Agent.Cli;
using Xunit;

namespace GitOps.Agent.Tests.Cli;

public class InternalErrorTests
{
    [Fact]
    public void InternalError_ThrownException_NamesTypeAndSiteButNotTheMessage()
    {
        var thrown = Catch(() => Explode("the-secret-value"));

        var line = GitOpsCommand.InternalError(thrown);

        Assert.StartsWith("error: internal error (InvalidOperationException in InternalErrorTests.Explode)", line);
        Assert.DoesNotContain("the-secret-value", line);
        Assert.DoesNotContain("\n", line);
    }

    [Fact]
    public void InternalError_NeverThrown_NamesTheTypeOnly()
    {
        var line = GitOpsCommand.InternalError(new ArgumentException("the-secret-value"));

        Assert.StartsWith("error: internal error (ArgumentException);", line);
        Assert.DoesNotContain("the-secret-value", line);
    }

    private static void Explode(string value) => throw new InvalidOperationException($"bad {value}");

    private static Exception Catch(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("nothing thrown");
    }
}
