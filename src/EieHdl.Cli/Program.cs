using System.CommandLine;
using EieHdl.Cli.Commands;

namespace EieHdl.Cli;

/// <summary>
/// The `eiehdl` command line. Every command prints a human summary, or with --json one JSON
/// document on stdout; bad input is one line on stderr and exit code 2, with no output left.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("EieHdl: EIE sparse-inference accelerator generator (Deep Compression encoder, golden model)")
        {
            WorkloadCommand.Create(),
            CompressCommand.Create(),
            GoldenCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
