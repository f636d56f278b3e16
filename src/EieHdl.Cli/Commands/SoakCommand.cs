using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EieHdl.Config;
using EieHdl.Simulation;
using EieHdl.Workloads;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl soak` (hidden; `make soak` runs it): random cases over random configs through the
/// verilated eie_top until a case count or a time limit, each compared bit for bit with the
/// golden model and cycle for cycle with the cycle model. Seeds are fresh unless --seed is
/// given; config i has seed Mix(base, i) and its case k seed Mix(config seed, k), so a failure
/// is replayed with --replay CONFIG_SEED:CASE_SEED. Progress (each config, the Verilator build's
/// steps, a line per config done) goes to stderr unless --quiet, failures to stderr always, the
/// summary to stdout. Exit 0 when every case agreed, 1 when one did not, 2 on bad options.
/// </summary>
internal static class SoakCommand
{
    public static Command Create()
    {
        var cases = new Option<long?>("--cases") { Description = "Stop after this many cases (default 1000 unless --seconds is given)" };
        var seconds = new Option<double?>("--seconds") { Description = "Stop starting cases after this many seconds" };
        var seed = new Option<ulong?>("--seed") { Description = "Base seed (default: a fresh random one, printed)" };
        var perConfig = new Option<int>("--cases-per-config") { Description = "Cases on each random config (each config is one Verilator build)", DefaultValueFactory = _ => 25 };
        var replay = new Option<string?>("--replay") { Description = "Run one case, CONFIG_SEED:CASE_SEED as a failure printed it" };
        var quiet = CommonOptions.Quiet();
        var command = new Command("soak", "Random cases over random configs: RTL against the golden and cycle models")
        {
            cases, seconds, seed, perConfig, replay, quiet,
        };
        command.Hidden = true;
        command.SetAction(parse => CommonOptions.Run(() => Execute(parse.GetValue(cases), parse.GetValue(seconds),
            parse.GetValue(seed), parse.GetValue(perConfig), parse.GetValue(replay), new ProgressLog("soak", parse.GetValue(quiet)))));
        return command;
    }

    /// <summary>SplitMix64 of the pair: independent seeds for config i and its cases.</summary>
    public static ulong Mix(ulong seed, ulong index)
    {
        ulong z = seed + (index + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private sealed record Failure(ulong ConfigSeed, ulong CaseSeed, string Config, string Label, string What);

    private static int Execute(long? maxCases, double? maxSeconds, ulong? baseSeed, int perConfig, string? replay, ProgressLog progress)
    {
        if (maxCases is < 1) throw new EieInputException($"--cases: must be at least 1, got {maxCases}");
        if (maxSeconds is not null && !(maxSeconds > 0)) throw new EieInputException(Inv($"--seconds: must be above 0, got {maxSeconds}"));
        if (perConfig < 1) throw new EieInputException($"--cases-per-config: must be at least 1, got {perConfig}");
        (ulong Config, ulong Case)? one = null;
        if (replay is not null)
        {
            var parts = replay.Split(':');
            if (parts.Length != 2 || !ulong.TryParse(parts[0], CultureInfo.InvariantCulture, out ulong c)
                || !ulong.TryParse(parts[1], CultureInfo.InvariantCulture, out ulong k))
                throw new EieInputException($"--replay: must be CONFIG_SEED:CASE_SEED (two whole numbers), got '{replay}'");
            one = (c, k);
        }
        long limit = one is not null ? 1 : maxCases ?? (maxSeconds is null ? 1000 : long.MaxValue);
        ulong seed = baseSeed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var clock = Stopwatch.StartNew();
        bool TimeLeft() => maxSeconds is null || clock.Elapsed.TotalSeconds < maxSeconds;
        if (one is null) progress.Step($"base seed {seed}, up to {(limit == long.MaxValue ? "unlimited" : limit)} cases"
            + $"{(maxSeconds is null ? "" : Inv($" or {maxSeconds} s"))}, {perConfig} per config");

        var failures = new List<Failure>();
        long done = 0;
        var configs = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; done < limit && TimeLeft(); i++)
        {
            ulong configSeed = one?.Config ?? Mix(seed, i);
            var config = RandomCosimCase.RandomConfig(configSeed);
            string json = JsonSerializer.Serialize(config);
            configs.Add(json);
            var configClock = Stopwatch.StartNew();
            int configCases = 0, configFailures = 0;
            EieTopSim? sim = null;
            try
            {
                try
                {
                    // A cold build of a large config takes minutes: its steps show where it is.
                    progress.Step($"config {configs.Count} (seed {configSeed}, {config.Pes} PEs): building eie_top");
                    var library = EieTopSim.Build(config, progress: progress.BuildStep);
                    if (library.FromCache) progress.Step($"config {configs.Count}: eie_top from the cache");
                    sim = new EieTopSim(config, library);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A config that validates but cannot be built is a defect too.
                    failures.Add(new Failure(configSeed, 0, json, "build", $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}"));
                    configFailures++;
                    done++;
                    continue;
                }
                double buildSeconds = configClock.Elapsed.TotalSeconds;
                for (ulong k = 0; k < (ulong)perConfig && done < limit && TimeLeft(); k++)
                {
                    ulong caseSeed = one?.Case ?? Mix(configSeed, k);
                    string label = "?";
                    string? what;
                    try
                    {
                        var c = RandomCosimCase.Generate(config, caseSeed);
                        label = c.Label;
                        what = c.Mismatch(sim, out _);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        what = $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
                        // The simulator's state after an exception is unknown: start the next case on a fresh one.
                        sim.Dispose();
                        sim = new EieTopSim(config, EieTopSim.Build(config));
                    }
                    done++;
                    configCases++;
                    if (what is null) continue;
                    configFailures++;
                    failures.Add(new Failure(configSeed, caseSeed, json, label, what));
                    Console.Error.WriteLine($"soak: FAIL config seed {configSeed} case seed {caseSeed} ({label}): {what}");
                }
                progress.Step(Inv($"config {configs.Count} (seed {configSeed}, {config.Pes} PEs): build {buildSeconds:F0} s, ")
                    + Inv($"{configCases} cases, {configFailures} failed; total {done} cases, {failures.Count} failed"));
            }
            finally
            {
                sim?.Dispose();
            }
            if (one is not null) break;
        }

        Console.WriteLine(one is null
            ? Inv($"soak: base seed {seed}: {done} cases over {configs.Count} configs in {clock.Elapsed.TotalSeconds:F0} s, {failures.Count} failed")
            : Inv($"soak: replay {one.Value.Config}:{one.Value.Case}: {(failures.Count == 0 ? "passed" : "FAILED")}"));
        foreach (var f in failures)
            Console.WriteLine($"FAIL --replay {f.ConfigSeed}:{f.CaseSeed} ({f.Label}): {f.What}; config {f.Config}");
        return failures.Count == 0 ? 0 : 1;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
