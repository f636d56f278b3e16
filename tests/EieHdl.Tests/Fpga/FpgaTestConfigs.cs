using EieHdl.Config;

namespace EieHdl.Tests.Fpga;

internal static class FpgaTestConfigs
{
    /// <summary>The repository root, found from the test binary's folder.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "hw", "configs", "ice40-small.json")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
        }
    }

    public static string SmallConfigPath => Path.Combine(RepoRoot, "hw", "configs", "ice40-small.json");

    /// <summary>hw/configs/ice40-small.json: 2 PEs that fit an UP5K.</summary>
    public static EieConfig Small => ConfigLoader.Load(SmallConfigPath);
}
