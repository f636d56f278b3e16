using EieHdl.Processes;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Fpga;

namespace EieHdl.Tests.Integration;

/// <summary>The CLI packs as a .NET tool that installs from the local package and runs outside the checkout.</summary>
public class ToolPackageTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public void PacksInstallsAndRunsAsADotnetTool()
    {
        using var scratch = new ScratchFolder();
        string project = Path.Combine(FpgaTestConfigs.RepoRoot, "src", "EieHdl.Cli");
        // The test build has just built the CLI in this configuration; packing it needs no rebuild.
        var pack = RtlTools.Run("dotnet", ["pack", project, "-c", Configuration, "--no-build", "-o", scratch["pkg"], "-v", "q"],
            scratch.Path, TimeSpan.FromMinutes(10), "install the .NET 10 SDK");
        Assert.True(pack.Ok, pack.ToString());
        Assert.Single(Directory.GetFiles(scratch["pkg"], "eiehdl.*.nupkg"));

        var install = RtlTools.Run("dotnet", ["tool", "install", "--tool-path", scratch["tool"], "--add-source", scratch["pkg"], "eiehdl"],
            scratch.Path, TimeSpan.FromMinutes(10), "install the .NET 10 SDK");
        Assert.True(install.Ok, install.ToString());

        var run = RtlTools.Run(Path.Combine(scratch["tool"], "eiehdl"), ["config", "--set", "Pes=3"], scratch.Path);
        Assert.True(run.Ok, run.ToString());
        Assert.Contains("\"Pes\": 3,", run.Output);
    }
}
