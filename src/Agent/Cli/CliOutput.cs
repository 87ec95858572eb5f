namespace GitOps.Agent.Cli;

internal static class CliOutput
{
    /// <summary>Prints <paramref name="message"/> to stderr as an error and returns <paramref name="exitCode"/>.</summary>
    public static int Error(string message, int exitCode)
    {
        Console.Error.WriteLine($"error: {message}");
        return exitCode;
    }
}
