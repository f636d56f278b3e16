using EieHdl.Config;

namespace EieHdl.Flows;

/// <summary>
/// The checkout's ready-made configurations (<c>hw/configs/*.json</c>), offered by a refusal
/// as what to use instead: "...; hw/configs/benchmarks-64pe.json fits".
/// </summary>
public static class ReadyConfigs
{
    /// <summary>Where the ready-made configurations live in a checkout.</summary>
    public const string Folder = "hw/configs";

    /// <summary>
    /// The ready-made configurations (paths relative to the checkout, in name order) that
    /// <paramref name="fits"/> accepts; empty outside a checkout. A file that does not load, or
    /// on which <paramref name="fits"/> throws a bad-input error, is not a suggestion.
    /// </summary>
    public static IReadOnlyList<string> ThatFit(Func<EieConfig, bool> fits)
    {
        string? root = IO.RepositoryFolder.Find();
        string folder = root is null ? "" : Path.Combine(root, Folder);
        if (!Directory.Exists(folder)) return [];
        var fitting = new List<string>();
        foreach (string file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                if (fits(ConfigLoader.Load(file))) fitting.Add($"{Folder}/{Path.GetFileName(file)}");
            }
            catch (EieInputException)
            {
                // An edited ready-made config is not a suggestion; the refusal stands without it.
            }
        }
        return fitting;
    }

    /// <summary>"; A or B fits" (with <paramref name="what"/>), or "" when none does.</summary>
    public static string Suggestion(Func<EieConfig, bool> fits, string what = "")
    {
        var fitting = ThatFit(fits);
        return fitting.Count == 0 ? "" : $"; {string.Join(" or ", fitting)} fits{what}";
    }

    /// <summary>True when <paramref name="check"/> passes without a bad-input error.</summary>
    public static bool Passes(Action check)
    {
        try
        {
            check();
            return true;
        }
        catch (EieInputException)
        {
            return false;
        }
    }
}
