using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace GitOps.Agent.Kube;

/// <summary>
/// JSON over the Kubernetes REST API, with KubernetesClient doing what it does well: kubeconfig
/// and in-cluster configuration, authentication and TLS. Bodies stay <see cref="JsonObject"/>s
/// end to end (no typed models), so any kind, CRDs included, goes through one path.
/// </summary>
/// <remarks>
/// Requests go over HTTP/2 when the server offers it (kube-apiserver does, over TLS): one
/// connection and one TLS handshake carry every request in flight, instead of one connection per
/// request in flight. Watches keep HTTP/1.1 connections of their own, so a stream open for minutes
/// never shares a connection's window with the requests of a pass. At most
/// <see cref="RequestGate.Limit"/> requests are in flight at once in the whole process.
/// </remarks>
internal sealed class KubeApi : IClusterClient, IDisposable
{
    public const string FieldManager = "gitops-agent";
    private readonly Kubernetes client;
    private readonly HttpClient http;
    private readonly HttpClient watchHttp;
    private readonly RequestGate gate;

    /// <summary>The user every request is made as (Impersonate-User), or null for the client's own credentials.</summary>
    private readonly string? impersonate;

    /// <summary>A view of another client: it owns nothing, so disposing it disposes nothing.</summary>
    private readonly bool owner = true;

    private KubeApi(KubeApi of, string user)
    {
        (client, http, watchHttp, gate, Requests, Server, impersonate, owner) = (of.client, of.http, of.watchHttp, of.gate, of.Requests, of.Server, user, false);
    }

    private KubeApi(KubernetesClientConfiguration config, int maxInFlight)
    {
        gate = new RequestGate(maxInFlight);
        Requests = new RequestCounter();
        // A request waiting for a new connection (TCP and TLS handshakes) when the process froze
        // must find the fence down too: checked once more right before its first bytes are written.
        config.FirstMessageHandlerSetup = handler => handler.PlaintextStreamFilter = (context, _) =>
        {
            Requests.EnsureMayWrite(context.InitialRequestMessage);
            return ValueTask.FromResult(context.PlaintextStream);
        };

        // The client chains our counter in front of its TLS handler; requests sent through the
        // counter therefore get the client's TLS setup, and we add credentials per request.
        client = new Kubernetes(config, Requests);
        http = new HttpClient(Requests, disposeHandler: false) { BaseAddress = client.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        watchHttp = new HttpClient(Requests, disposeHandler: false) { BaseAddress = client.BaseUri, Timeout = Timeout.InfiniteTimeSpan };
        Server = client.BaseUri.ToString();
    }

    public RequestCounter Requests { get; }

    /// <summary>The process-wide bound on requests in flight (shared by every view of this client).</summary>
    public RequestGate Gate => gate;

    /// <summary>
    /// Checked before every write (never before reads or dry-runs): the agent's Lease fence. Once
    /// here, before a body is built, and once more in the handler, right before the socket.
    /// </summary>
    public IWriteFence Fence
    {
        get => Requests.Fence;
        set => Requests.Fence = value;
    }

    /// <summary>The typed client, for what it does well (leader election leases).</summary>
    public IKubernetes Client => client;

    public string Server { get; }

    /// <summary>The kubeconfig file (or $KUBECONFIG, ~/.kube/config), or the in-cluster account when inside a Pod.</summary>
    /// <param name="maxInFlight">Requests in flight at once in the whole process (see <see cref="RequestGate"/>).</param>
    public static KubeApi Connect(string? kubeconfig = null, string? context = null, int maxInFlight = RequestGate.DefaultLimit)
    {
        if (kubeconfig is null && context is null && KubernetesClientConfiguration.IsInCluster())
        {
            return new KubeApi(KubernetesClientConfiguration.InClusterConfig(), maxInFlight);
        }

        var file = kubeconfig ?? FirstKubeconfig();
        var config = (file is not null && File.Exists(file) ? KubeconfigReader.TryRead(file, context) : null)
            ?? KubernetesClientConfiguration.BuildConfigFromConfigFile(file, context);
        return new KubeApi(config, maxInFlight);
    }

    /// <summary>
    /// The same connection, every request made as <paramref name="serviceAccount"/> (<c>NAMESPACE/NAME</c>)
    /// through Kubernetes impersonation: RBAC judges that account's rights, and the server adds its
    /// groups. The caller's account needs <c>impersonate</c> on that ServiceAccount. Shares the
    /// request counter and the write fence with this client.
    /// </summary>
    public KubeApi Impersonating(string serviceAccount) => new(this, ServiceAccountUser(serviceAccount));

    /// <summary><c>system:serviceaccount:NS:NAME</c> for <c>NS/NAME</c>.</summary>
    public static string ServiceAccountUser(string serviceAccount)
    {
        var parts = serviceAccount.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length > 0)
            ? $"system:serviceaccount:{parts[0]}:{parts[1]}"
            : throw new FormatException($"service account '{serviceAccount}' is not NAMESPACE/NAME");
    }

    /// <summary>$KUBECONFIG (its first file when it lists several) or ~/.kube/config.</summary>
    private static string? FirstKubeconfig()
    {
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        return string.IsNullOrEmpty(env)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")
            : env.Split(Path.PathSeparator).Length == 1 ? env : null;
    }

    public async Task<JsonObject?> GetAsync(string path, CancellationToken ct)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, path, null, null, ct);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public Task<JsonObject> ListAsync(string path, string? labelSelector, CancellationToken ct)
    {
        var query = labelSelector is null ? string.Empty : $"?labelSelector={Uri.EscapeDataString(labelSelector)}";
        return SendAsync(HttpMethod.Get, path + query, null, null, ct);
    }

    /// <summary>Server-side apply as <see cref="FieldManager"/>, forcing conflicts; a dry run writes nothing.</summary>
    public Task<JsonObject> ApplyAsync(string path, JsonObject body, bool dryRun, CancellationToken ct)
    {
        var query = $"?fieldManager={FieldManager}&force=true{(dryRun ? "&dryRun=All" : string.Empty)}";
        EnsureMayWrite(dryRun);
        return SendAsync(HttpMethod.Patch, path + query, body, "application/apply-patch+yaml", ct);
    }

    public Task<JsonObject> JsonPatchAsync(string path, JsonArray patch, CancellationToken ct)
    {
        EnsureMayWrite(dryRun: false);
        return SendAsync(HttpMethod.Patch, path, patch, "application/json-patch+json", ct);
    }

    public Task<JsonObject> CreateAsync(string collectionPath, JsonObject body, CancellationToken ct, bool dryRun = false)
    {
        EnsureMayWrite(dryRun);
        return SendAsync(HttpMethod.Post, collectionPath + (dryRun ? "?dryRun=All" : string.Empty), body, "application/json", ct);
    }

    /// <summary>Deletes in the background (dependents are collected by the garbage collector); true if it existed.</summary>
    /// <param name="preconditions">Delete only this very object (<c>uid</c>) in this very state (<c>resourceVersion</c>); a 409 otherwise.</param>
    public async Task<bool> DeleteAsync(string path, CancellationToken ct, JsonObject? preconditions = null)
    {
        EnsureMayWrite(dryRun: false);
        var body = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = "Background" };
        if (preconditions is not null)
        {
            body["preconditions"] = preconditions;
        }

        try
        {
            await SendAsync(HttpMethod.Delete, path, body, "application/json", ct);
            return true;
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Watch events (<c>type</c>, <c>object</c>) of a collection from <paramref name="resourceVersion"/>, with
    /// bookmarks, until the server ends the stream (after <paramref name="timeoutSeconds"/>) or it is cancelled.
    /// </summary>
    public async IAsyncEnumerable<JsonObject> WatchAsync(
        string path, string? labelSelector, string resourceVersion, int timeoutSeconds, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var selector = labelSelector is null ? string.Empty : $"&labelSelector={Uri.EscapeDataString(labelSelector)}";
        var url = $"{path}?watch=1&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={timeoutSeconds}{selector}";
        using var request = await RequestAsync(HttpMethod.Get, url, null, null, multiplexed: false, ct);
        using var response = await watchHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, await response.Content.ReadAsStringAsync(ct)).At(path);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length > 0 && JsonNode.Parse(line) is JsonObject ev)
            {
                yield return ev;
            }
        }
    }

    /// <summary>Throws before anything is sent when a write is not allowed now (see <see cref="Fence"/>).</summary>
    private void EnsureMayWrite(bool dryRun)
    {
        if (!dryRun)
        {
            Fence.EnsureHeld();
        }
    }

    /// <param name="multiplexed">HTTP/2 when the server offers it (HTTP/1.1 otherwise); watches ask for HTTP/1.1.</param>
    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, JsonNode? body, string? contentType, bool multiplexed, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, path);
        if (multiplexed)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        }

        if (body is not null)
        {
            // Apply bodies are read as YAML by the server: no surrogate-pair escapes (see YamlSafeJson).
            request.Content = new ByteArrayContent(GitOps.Diff.Json.YamlSafeJson.WriteUtf8(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!) { CharSet = "utf-8" };
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (impersonate is not null)
        {
            request.Headers.Add("Impersonate-User", impersonate);
        }

        if (client.Credentials is not null)
        {
            await client.Credentials.ProcessHttpRequestAsync(request, ct);
        }

        return request;
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonNode? body, string? contentType, CancellationToken ct)
    {
        using var slot = await gate.EnterAsync(ct);
        using var request = await RequestAsync(method, path, body, contentType, multiplexed: true, ct);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        // Parsed from the UTF-8 bytes as they came: no UTF-16 copy of every response.
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, Encoding.UTF8.GetString(bytes)).At(path);
        }

        return JsonNode.Parse(bytes) as JsonObject ?? [];
    }

    private static KubeApiException Failure(HttpStatusCode status, string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject { } s && (string?)s["kind"] == "Status")
            {
                return new KubeApiException(status, (string?)s["reason"] ?? status.ToString(), (string?)s["message"] ?? status.ToString());
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // not a Status: fall through to the raw text
        }

        return new KubeApiException(status, status.ToString(), text.Length > 500 ? text[..500] : text);
    }

    public void Dispose()
    {
        if (!owner)
        {
            return;
        }

        http.Dispose();
        watchHttp.Dispose();
        client.Dispose();
        gate.Dispose();
    }
}
