using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using GitOps.Diff.Masking;

namespace GitOps.Diff.Tests.Masking;

/// <summary>
/// Random Secret values drawn from the characters every escaper treats specially, embedded in
/// server-shaped messages in every spelling <see cref="ReferenceSpellings"/> writes (its own
/// encoders, not the production ones): no spelling survives <see cref="SecretRedactor.Redact"/>.
/// </summary>
public class SecretRedactorPropertyTests
{
    /// <summary>Units, not chars, so an emoji's surrogate pair stays whole. No '*': the mask itself must not spell a value.</summary>
    private static readonly string[] Alphabet =
    [
        "a", "Z", "7", "-", " ", "\"", "\\", "\n", "\r", "\t", "\a", "\b", "\f", "\v", "\u0000", "\u0001", "\u001b", "\u007f",
        "é", "ß", "\u00a0", "\u200b", "\u2028", "\ue000", "日", "😀", "\U000F0000", "<", ">", "&", "'", "+", "/", "=", "`", "%", "{",
    ];

    private static readonly Gen<string> Value =
        Gen.Int[0, Alphabet.Length - 1].Array[4, 24].Select(ix => string.Concat(ix.Select(i => Alphabet[i])));

    /// <summary>A value without line breaks, to be one line of a multi-line value.</summary>
    private static readonly Gen<string> Line = Value.Where(v => v.AsSpan().IndexOfAny('\n', '\r') < 0);

    [Fact]
    public void Redact_RandomValueInAnySpelling_NeverSurvives()
    {
        Value.Sample(
            value =>
            {
                var redactor = SecretRedactor.For([Secret(stringData: value)]);
                foreach (var (name, spelled) in ReferenceSpellings.All(value))
                {
                    var redacted = redactor.Redact($"Secret \"db\" is invalid: metadata.labels: Invalid value: \"{spelled}\": must be no more than 63 characters");
                    Assert.True(!redacted.Contains(spelled, StringComparison.Ordinal), $"{name} survived: {redacted}");
                }
            },
            iter: 2_000,
            threads: 1,
            print: Show);
    }

    [Fact]
    public void Redact_RandomDataValue_EveryLineOfItHiddenToo()
    {
        Gen.Select(Line, Line, Line).Sample(
            t =>
            {
                var value = $"{t.Item1}\n{t.Item2}\r\n{t.Item3}";
                var redactor = SecretRedactor.For([Secret(data: Convert.ToBase64String(Encoding.UTF8.GetBytes(value)))]);
                foreach (var line in new[] { t.Item1, t.Item2, t.Item3 })
                {
                    foreach (var (name, spelled) in ReferenceSpellings.All(line).Where(s => s.Name.StartsWith("raw", StringComparison.Ordinal) || s.Name.StartsWith("go", StringComparison.Ordinal)))
                    {
                        var redacted = redactor.Redact($"line: \"{spelled}\"");
                        Assert.True(!redacted.Contains(spelled, StringComparison.Ordinal), $"line {Show(line)} as {name} survived: {redacted}");
                    }
                }
            },
            iter: 500,
            threads: 1,
            print: t => $"{Show(t.Item1)} / {Show(t.Item2)} / {Show(t.Item3)}");
    }

    private static string Show(string value) => ReferenceSpellings.GoQuote(value, ascii: true);

    private static JsonObject Secret(string? stringData = null, string? data = null)
    {
        var secret = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "db" } };
        if (stringData is not null)
        {
            secret["stringData"] = new JsonObject { ["v"] = stringData };
        }

        if (data is not null)
        {
            secret["data"] = new JsonObject { ["v"] = data };
        }

        return secret;
    }
}
