using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace GitOps.PodSimulator;

/// <summary>
/// The scheduler and kubelet of the simulated node: a watch of every pod keeps a copy of each,
/// and a worker carries each changed or due pod one <see cref="PodPlan"/> step further. After an
/// API-server outage the watch lists everything again, so nothing missed meanwhile is lost.
/// </summary>
internal sealed class PodLoop(Kubernetes client, SimOptions options)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<string, V1Pod> pods = new();
    private readonly ConcurrentDictionary<string, bool> dirty = new();
    private readonly Dictionary<string, DateTimeOffset> due = [];
    private readonly ConcurrentDictionary<string, PodRun> runs = new();

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(WatchAsync(ct), WorkAsync(ct));

    private static string Key(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";

    private async Task WatchAsync(CancellationToken ct)
    {
        var failing = false;
        while (true)
        {
            try
            {
                var list = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct);
                foreach (var gone in pods.Keys.Except(list.Items.Select(Key)).ToList())
                {
                    Forget(gone);
                }

                foreach (var pod in list.Items)
                {
                    Remember(pod);
                }

                if (failing)
                {
                    Log.Info($"pods: listed {list.Items.Count} again after the outage");
                }

                failing = false;
                Exception? broken = null;
                var events = client.CoreV1.WatchListPodForAllNamespacesAsync(
                    allowWatchBookmarks: true, resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 300,
                    onError: e => broken ??= e, cancellationToken: ct);
                await foreach (var (type, pod) in events)
                {
                    switch (type)
                    {
                        case WatchEventType.Added or WatchEventType.Modified: Remember(pod); break;
                        case WatchEventType.Deleted: Forget(Key(pod)); break;
                        default: break;
                    }
                }

                // Ended (timeout, outage or an expired version): list again, which also catches up.
                if (broken is not null)
                {
                    throw new IOException($"watch broken: {broken.Message}", broken);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (!failing)
                {
                    Log.Info($"pods: watch failed, listing again: {e.Message}");
                }

                failing = true;
                await Task.Delay(SimOptions.RetryDelay, ct);
            }
        }
    }

    private void Remember(V1Pod pod)
    {
        var key = Key(pod);
        pods[key] = pod;
        dirty[key] = true;
    }

    private void Forget(string key)
    {
        if (pods.TryRemove(key, out var pod))
        {
            runs.TryRemove(pod.Metadata.Uid, out _);
        }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(Tick, ct);
            var now = DateTimeOffset.UtcNow;
            var keys = dirty.Keys.ToList();
            keys.AddRange(due.Where(d => d.Value <= now).Select(d => d.Key));
            foreach (var key in keys.Distinct())
            {
                dirty.TryRemove(key, out _);
                due.Remove(key);
                if (pods.TryGetValue(key, out var pod))
                {
                    await StepAsync(key, pod, ct);
                }
            }
        }
    }

    private async Task StepAsync(string key, V1Pod pod, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var step = PodPlan.Decide(pod, options.NodeName, now, runs.GetValueOrDefault(pod.Metadata.Uid));
        try
        {
            var after = await DoAsync(pod, step, ct);
            if (after is { } delay)
            {
                due[key] = now + delay;
            }
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Conflicts and outages alike: the pod's next event or this retry tries again.
            Log.Info($"pod {key}: {step.GetType().Name} failed, retrying: {Describe(e)}");
            due[key] = now + SimOptions.RetryDelay;
        }
    }

    private async Task<TimeSpan?> DoAsync(V1Pod pod, PodStep step, CancellationToken ct)
    {
        var (name, ns) = (pod.Metadata.Name, pod.Metadata.NamespaceProperty);
        switch (step)
        {
            case PodStep.Bind:
                if (await UnboundClaimAsync(pod, ct) is not null)
                {
                    return TimeSpan.FromMilliseconds(500); // a scheduler waits for the claim to bind, too
                }

                var binding = new V1Binding
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                    Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = options.NodeName },
                };
                await client.CoreV1.CreateNamespacedPodBindingAsync(binding, name, ns, cancellationToken: ct);
                Log.Info($"pod {ns}/{name}: bound to {options.NodeName}");
                return null;
            case PodStep.Delete:
                await DeleteAsync(pod, ct);
                return null;
            case PodStep.Patch patch:
                runs[pod.Metadata.Uid] = patch.Run;
                var body = new JsonObject { ["status"] = patch.Status }.ToJsonString();
                await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(body, V1Patch.PatchType.MergePatch), name, ns, cancellationToken: ct);
                Log.Info($"pod {ns}/{name}: {patch.Status["phase"]}, ready {patch.Status["conditions"]![1]!["status"]}, restarts {patch.Run.Restarts}");
                return patch.After;
            case PodStep.Wait wait:
                return wait.After;
            default:
                throw new InvalidOperationException($"pod {ns}/{name}: unknown step {step}");
        }
    }

    private async Task DeleteAsync(V1Pod pod, CancellationToken ct)
    {
        var (name, ns) = (pod.Metadata.Name, pod.Metadata.NamespaceProperty);
        try
        {
            var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } };
            await client.CoreV1.DeleteNamespacedPodAsync(name, ns, options, gracePeriodSeconds: 0, cancellationToken: ct);
            Log.Info($"pod {ns}/{name}: deleted");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Gone already, or a new pod of the same name (the precondition protects it).
        }
    }

    /// <summary>The first claim the pod mounts that is not Bound yet, if any.</summary>
    private async Task<string?> UnboundClaimAsync(V1Pod pod, CancellationToken ct)
    {
        foreach (var claim in (pod.Spec.Volumes ?? []).Select(v => v.PersistentVolumeClaim?.ClaimName).OfType<string>())
        {
            try
            {
                var pvc = await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, pod.Metadata.NamespaceProperty, cancellationToken: ct);
                if (pvc.Status?.Phase != "Bound")
                {
                    return claim;
                }
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return claim;
            }
        }

        return null;
    }

    private static string Describe(Exception e) =>
        e is HttpOperationException h ? $"{(int)h.Response.StatusCode} {h.Response.Content}" : e.Message;
}
