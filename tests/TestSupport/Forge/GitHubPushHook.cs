namespace GitOps.TestSupport.Forge;

/// <summary>
/// A served repository's post-receive hook that does what GitHub does on a push: for each pushed
/// branch or tag, a push event (a real example payload, <see cref="GitHubWebhooks.Push"/>, with this
/// push's ref and commits) signed with the secret (X-Hub-Signature-256) and posted to a receiver.
/// Each body is kept as <c>&lt;ns since the epoch&gt;.json</c> in <see cref="Deliveries"/>, beside a
/// <c>.status</c> file with the receiver's HTTP answer.
/// </summary>
internal sealed class GitHubPushHook
{
    private GitHubPushHook(string deliveries) => Deliveries = deliveries;

    public string Deliveries { get; }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static GitHubPushHook Install(Git.GitHttpServer server, string repository, string receiverUrl, string secretFile)
    {
        var deliveries = Directory.CreateDirectory(Path.Combine(server.PathOf(repository), "deliveries")).FullName;
        var template = Path.Combine(deliveries, "..", "push-template.json");
        File.WriteAllText(template, GitHubWebhooks.Push(server.UrlOf(repository), "@REF@", "@BEFORE@", "@AFTER@").ToJsonString());
        server.InstallHook(repository, "post-receive", $$"""
            #!/bin/sh
            secret=$(tr -d '\n' < '{{secretFile}}')
            while read -r old new ref; do
              case "$ref" in refs/heads/*|refs/tags/*) ;; *) continue ;; esac # GitHub sends push events for branches and tags
              body=$(sed -e "s|@REF@|$ref|g" -e "s|@BEFORE@|$old|g" -e "s|@AFTER@|$new|g" '{{template}}')
              sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')
              id=$(cat /proc/sys/kernel/random/uuid)
              at='{{deliveries}}'/$(date +%s%N)
              printf '%s' "$body" > "$at.json"
              curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' \
                -H "X-GitHub-Delivery: $id" -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body" \
                '{{receiverUrl}}' > "$at.status" || echo "hook delivery failed" >&2
            done
            """);
        return new GitHubPushHook(deliveries);
    }

    /// <summary>The bodies sent so far, oldest first.</summary>
    public IReadOnlyList<string> Sent() => Directory.GetFiles(Deliveries, "*.json").Order(StringComparer.Ordinal).ToList();

    /// <summary>When the hook posted each delivery, in milliseconds since the epoch.</summary>
    public IEnumerable<long> SentAtMs() =>
        Sent().Select(f => long.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture) / 1_000_000);
}
