using System.Text;

namespace EieHdl.Tests.Cli;

/// <summary>
/// Runs the `eiehdl` program's Main inside the test process with its stdout and stderr
/// captured: the same code path as <see cref="CliRunner"/> without the ~0.3 s of starting a
/// process, for tables of many cases. Console.Out and Console.Error are process-wide, so they
/// are replaced once by writers that send each write to the capture of the async flow that
/// made it, and everything else (other tests, the runner) to the original console.
/// </summary>
internal static class InProcessCli
{
    private static readonly AsyncLocal<StringWriter?> CapturedOut = new();
    private static readonly AsyncLocal<StringWriter?> CapturedError = new();
    private static readonly Lock Install = new();
    private static bool installed;

    public static CliResult Run(params string[] args)
    {
        lock (Install)
        {
            if (!installed)
            {
                Console.SetOut(new RoutingWriter(Console.Out, CapturedOut));
                Console.SetError(new RoutingWriter(Console.Error, CapturedError));
                installed = true;
            }
        }
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // Set and run on a fresh flow so the captures never leak into the caller's flow.
        int exit = Task.Run(() =>
        {
            CapturedOut.Value = stdout;
            CapturedError.Value = stderr;
            return EieHdl.Cli.Program.Main(args);
        }).GetAwaiter().GetResult();
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    private sealed class RoutingWriter(TextWriter fallback, AsyncLocal<StringWriter?> capture) : TextWriter
    {
        private TextWriter Target => capture.Value ?? fallback;
        public override System.Text.Encoding Encoding => fallback.Encoding;
        public override void Write(char value) => Target.Write(value);
        public override void Write(string? value) => Target.Write(value);
        public override void Write(char[] buffer, int index, int count) => Target.Write(buffer, index, count);
        public override void WriteLine(string? value) => Target.WriteLine(value);
        public override void Flush() => Target.Flush();
    }
}
