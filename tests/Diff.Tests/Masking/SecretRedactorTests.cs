using System.Text.Json.Nodes;
using GitOps.Diff.Masking;

namespace GitOps.Diff.Tests.Masking;

public class SecretRedactorTests
{
    private static readonly JsonObject Secret = new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = "db" },
        ["data"] = new JsonObject { ["password"] = "aHVudGVyMg==", ["short"] = "YWI=" },
        ["stringData"] = new JsonObject { ["token"] = "s3cr3t-token", ["pin"] = "123" },
    };

    [Theory]
    [InlineData("denied: password aHVudGVyMg== is weak", "denied: password *** is weak")]
    [InlineData("denied: password hunter2 is weak", "denied: password *** is weak")]
    [InlineData("token s3cr3t-token rejected", "token *** rejected")]
    [InlineData("token czNjcjN0LXRva2Vu in base64", "token *** in base64")]
    [InlineData("nothing secret here", "nothing secret here")]
    public void Redact_SecretValueInClearOrBase64_Replaced(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.For([Secret]).Redact(text));
    }

    [Fact]
    public void Redact_ValuesShorterThanFour_LeftAlone()
    {
        // "ab" (from YWI=) and the pin "123" would make every message unreadable if hidden; their
        // other spellings (the base64 YWI=) are left alone too, since they protect nothing more.
        Assert.Equal("ab 123 YWI=", SecretRedactor.For([Secret]).Redact("ab 123 YWI="));
    }

    [Fact]
    public void Redact_LongerValueFirst_NoPartialLeak()
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["stringData"] = new JsonObject { ["a"] = "abcd", ["b"] = "abcdefgh" },
        };

        Assert.Equal("x *** y", SecretRedactor.For([secret]).Redact("x abcdefgh y"));
    }

    [Fact]
    public void For_NonSecretObjects_RedactsNothing()
    {
        var configMap = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["data"] = new JsonObject { ["password"] = "visible-value" } };

        Assert.Equal("visible-value", SecretRedactor.For([configMap]).Redact("visible-value"));
        Assert.Equal("anything", SecretRedactor.None.Redact("anything"));
    }
}
