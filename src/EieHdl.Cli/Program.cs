using System.CommandLine;
using EieHdl.Cli.Commands;
using EieHdl.Processes;

namespace EieHdl.Cli;

/// <summary>
/// The `eiehdl` command line. Every command prints a human summary, or with --json one JSON
/// document on stdout; bad input is one line on stderr and exit code 2, with no output left.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // Ctrl-C, a CI timeout or a service manager's stop: kill the child tools, remove the
        // temporary folders, exit 130 / 143.
        using var interrupts = ProcessCleanup.ExitOnSignals();
        var root = new RootCommand("EieHdl: EIE sparse-inference accelerator generator (Deep Compression encoder, golden model)")
        {
            WorkloadCommand.Create(),
            CompressCommand.Create(),
            GoldenCommand.Create(),
            GenerateCommand.Create(),
            BenchCommand.Create(),
            CosimCommand.Create(),
            BoardRunCommand.Create(),
            SynthCommand.Create(),
            MnistCommand.Create(),
            SoakCommand.Create(),
            EnergyCommand.Create(),
            StudyCommand.Create(),
            ConfigCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, like every other bad input, instead of the parser's error-plus-help page.
            CommonOptions.PrintError($"{string.Join("; ", parse.Errors.Select(e => e.Message))} (see eiehdl --help)");
            return 2;
        }
        int exitCode = parse.Invoke();
        // An interrupt that came meanwhile sets the exit code once its cleanup is done.
        ProcessCleanup.Current.WaitIfStopping();
        return exitCode;
    }
}
