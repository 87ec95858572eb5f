using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using GitOps.Diff.Json;
using GitOps.Diff.Render;

namespace GitOps.Diff.Tests.Render;

/// <summary>
/// Properties over random input: any JSON written as unambiguous YAML reads back as itself,
/// and no input (random bytes, mangled manifests) makes the renderer fail other than with a
/// ManifestException naming a place. Bounded in iterations so CI stays within seconds.
/// </summary>
public class RenderPropertyTests
{
    private static readonly Lazy<byte[][]> GoldenInputs = new(() =>
        Directory.GetDirectories(Path.Combine(TestData.Root, "render"))
            .Select(dir => Path.Combine(dir, "input.yaml"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .ToArray());

    private static readonly string[] YamlTokens =
    [
        "&a ", "*a", "<<: ", "<<: *a", "- ", ": ", "? ", "{", "}", "[", "]", ",", "\t", "\n", "\r\n", "---\n", "...\n",
        "!!int ", "!!binary ", "!!str ", "!x ", "! ", "|", "|-", ">+", "\"", "'", "#", "%YAML 1.1\n", "%TAG ! !x\n",
        "\\", "\\u", "~", ".inf", "0x", "1e999", "é", "😀", "\u0000", "\ufeff", "  ", "kind: List\nitems:\n- ", "items: [1]",
    ];

    /// <summary>Small node budget: a mangled alias bomb should fail in microseconds, not use up the run.</summary>
    private static readonly RenderLimits FuzzLimits = new() { MaxNodesPerFile = 20_000 };

    [Fact]
    public void Render_JsonWrittenAsQuotedYaml_ReadsBackEqual()
    {
        JsonGen.Object(JsonGen.Value).Sample(
            spec =>
            {
                var root = new JsonObject { ["apiVersion"] = "probe.dev/v1", ["kind"] = "Blob", ["spec"] = spec };
                var yaml = TestYamlEmitter.Document(root);

                var read = ManifestRenderer.RenderText("prop.yaml", yaml);

                Assert.True(
                    JsonEquality.Equal(root, Assert.Single(read).Object),
                    $"YAML:\n{yaml}\nread back as {read[0].Object.ToJsonString()}");
            },
            iter: 1_000,
            threads: 1,
            print: spec => JsonGen.Print(spec));
    }

    [Fact]
    public void Render_RandomBytes_OnlyManifestException()
    {
        Gen.Byte.Array[0, 400].Sample(RendersOrFailsCleanly, iter: 3_000, threads: 1);
    }

    [Fact]
    public void Render_MangledGoldenInputs_OnlyManifestException()
    {
        var inputs = GoldenInputs.Value;
        var mutation = Gen.Select(Gen.Int[0, 3], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Int[0, YamlTokens.Length - 1], Gen.Byte);
        Gen.Select(Gen.Int[0, inputs.Length - 1], mutation.Array[1, 8])
            .Select(t => Mutate(inputs[t.Item1], t.Item2))
            .Sample(RendersOrFailsCleanly, iter: 5_000, threads: 1, print: b => Encoding.UTF8.GetString(b));
    }

    private static void RendersOrFailsCleanly(byte[] bytes)
    {
        try
        {
            ManifestRenderer.Render([new ManifestFile("fuzz.yaml", bytes)], FuzzLimits);
        }
        catch (ManifestException ex)
        {
            Assert.StartsWith("fuzz.yaml:", ex.Message, StringComparison.Ordinal);
            Assert.True(ex.Location.Line >= 1 && ex.Location.Column >= 1, ex.Message);
        }
    }

    /// <summary>Delete, duplicate, insert a YAML token, or overwrite a byte, at relative positions.</summary>
    private static byte[] Mutate(byte[] input, (int Op, double At, double Length, int Token, byte Byte)[] mutations)
    {
        var bytes = new List<byte>(input);
        foreach (var (op, at, length, token, b) in mutations)
        {
            var start = (int)(at * bytes.Count);
            var count = Math.Min(bytes.Count - start, (int)(length * 40));
            switch (op)
            {
                case 0:
                    bytes.RemoveRange(start, count);
                    break;
                case 1:
                    bytes.InsertRange(start, bytes.GetRange(start, count));
                    break;
                case 2:
                    bytes.InsertRange(start, Encoding.UTF8.GetBytes(YamlTokens[token]));
                    break;
                default:
                    if (start < bytes.Count)
                    {
                        bytes[start] = b;
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
