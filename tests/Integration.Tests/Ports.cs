using System.Net;
using System.Net.Sockets;

namespace GitOps.Integration.Tests;

internal static class Ports
{
    /// <summary>A loopback port nobody listens on now (the kernel picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
