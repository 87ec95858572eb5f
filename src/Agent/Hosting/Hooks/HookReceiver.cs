using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GitOps.Agent.Hosting.Hooks;

/// <summary>
/// <c>POST /hooks/&lt;receiver&gt;</c>: checks a delivery's signature against the receiver's secret,
/// and wakes the targets that follow the pushed repository and branch (202 with their names).
/// A delivery that is not proven (401), too large (413), too slow (408), or already seen (200)
/// does no work at all. A woken worker asks the remote for the head itself, so a body can say
/// "look now" but never which commit to apply; a burst of deliveries is one pass per target,
/// because <see cref="TargetWorker.Announce"/> only sets a flag the next pass clears.
/// </summary>
internal sealed partial class HookReceiver(
    IReadOnlyList<ReceiverConfig> receivers, IReadOnlyList<TargetConfig> targets, Action<string> announce, TimeProvider clock, ILogger<HookReceiver> logger)
{
    /// <summary>Push payloads are a few kilobytes; GitHub caps its own at 25 MB, but none of that is needed to match a branch.</summary>
    public const int MaxBodyBytes = 1 << 20;

    private const string Prefix = "/hooks/";
    private static readonly string[] DeliveryHeaders = ["X-GitHub-Delivery", "X-Gitea-Delivery", "X-Forgejo-Delivery"];
    private readonly Dictionary<string, ReceiverConfig> byName = receivers.ToDictionary(r => r.Name, StringComparer.Ordinal);
    private readonly DeliveryLog deliveries = new(clock);

    /// <summary>How long the whole body may take to arrive (a slow sender holds a connection open).</summary>
    public TimeSpan BodyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>True for the paths this receiver answers.</summary>
    public static bool Serves(string? path) => path is not null && path.StartsWith(Prefix, StringComparison.Ordinal);

    public async Task RespondAsync(HttpContext context)
    {
        var (status, body) = await HandleAsync(context.Request, context.RequestAborted);
        context.Response.StatusCode = status;
        context.Response.ContentType = body.StartsWith('{') ? "application/json" : "text/plain; charset=utf-8";
        await context.Response.WriteAsync(body + "\n", context.RequestAborted);
    }

    private async Task<(int Status, string Body)> HandleAsync(HttpRequest request, CancellationToken aborted)
    {
        var name = request.Path.Value![Prefix.Length..];
        if (!byName.TryGetValue(name, out var receiver))
        {
            return (StatusCodes.Status404NotFound, "no such receiver");
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            return (StatusCodes.Status405MethodNotAllowed, "use POST");
        }

        var (read, body) = await ReadBodyAsync(request, aborted);
        if (read != StatusCodes.Status200OK)
        {
            LogRefusedBody(logger, name, read);
            return (read, read == StatusCodes.Status413PayloadTooLarge ? $"body larger than {MaxBodyBytes} bytes" : "body not received in time");
        }

        return Answer(receiver, request.Headers, body!);
    }

    private (int Status, string Body) Answer(ReceiverConfig receiver, IHeaderDictionary headers, byte[] body)
    {
        byte[] secret;
        try
        {
            secret = ReadSecret(receiver.SecretFile);
            if (secret.Length == 0)
            {
                throw new IOException("the file is empty"); // an empty HMAC key is a key anyone knows
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogNoSecret(logger, receiver.Name, receiver.SecretFile, ex.Message);
            return (StatusCodes.Status503ServiceUnavailable, "the receiver's secret cannot be read");
        }

        var proof = HookSignature.Headers(receiver.Type).Select(h => (string?)headers[h]).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (!HookSignature.Verify(receiver.Type, proof, secret, body))
        {
            LogBadSignature(logger, receiver.Name, proof is null ? "missing" : "wrong");
            return (StatusCodes.Status401Unauthorized, "signature missing or wrong");
        }

        var delivery = DeliveryHeaders.Select(h => (string?)headers[h]).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (delivery is not null && !deliveries.TryRecord(receiver.Name, delivery))
        {
            LogReplay(logger, receiver.Name, delivery);
            return (StatusCodes.Status200OK, "delivery already seen");
        }

        var header = HookEvent.EventHeader(receiver.Type);
        var hook = HookEvent.Read(receiver.Type, header is null ? null : (string?)headers[header], body);
        return hook.Kind switch
        {
            HookEventKind.Ping => (StatusCodes.Status200OK, "pong"),
            HookEventKind.Ignored => (StatusCodes.Status200OK, $"event '{hook.Name}' ignored"),
            HookEventKind.Malformed => (StatusCodes.Status400BadRequest, hook.Name),
            _ => Wake(receiver, hook),
        };
    }

    private (int Status, string Body) Wake(ReceiverConfig receiver, HookEvent push)
    {
        var woken = HookMatcher.Match(push, targets);
        var repository = Git.UrlRedactor.Redact(push.Urls[0]);
        if (woken.Count == 0)
        {
            LogNoTarget(logger, receiver.Name, push.Ref!, repository);
        }
        else
        {
            LogWoken(logger, receiver.Name, push.Ref!, repository, woken);
        }

        foreach (var target in woken)
        {
            announce(target);
        }

        return (StatusCodes.Status202Accepted, JsonSerializer.Serialize(new Dictionary<string, IReadOnlyList<string>> { ["targets"] = woken }));
    }

    /// <summary>The body, or 413 past <see cref="MaxBodyBytes"/>, or 408 when it does not arrive within <see cref="BodyTimeout"/>.</summary>
    private async Task<(int Status, byte[]? Body)> ReadBodyAsync(HttpRequest request, CancellationToken aborted)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (StatusCodes.Status413PayloadTooLarge, null);
        }

        using var timeout = new CancellationTokenSource(BodyTimeout, clock);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, aborted);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = 0;
            int n;
            while ((n = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), both.Token)) > 0)
            {
                length += n;
                if (length > MaxBodyBytes)
                {
                    return (StatusCodes.Status413PayloadTooLarge, null);
                }
            }

            return (StatusCodes.Status200OK, buffer.AsSpan(0, length).ToArray());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return (StatusCodes.Status408RequestTimeout, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Read on every delivery (a few bytes), so a rotated Secret is used at once; a trailing newline of the file is not part of it.</summary>
    private static byte[] ReadSecret(string file) => Encoding.UTF8.GetBytes(File.ReadAllText(file).TrimEnd('\r', '\n'));
}
