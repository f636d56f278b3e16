using System.Globalization;

namespace EieHdl.Hardware;

/// <summary>
/// The settings of an iCE40 PLL (SB_PLL40_PAD / SB_PLL40_CORE) in simple feedback mode, as
/// icestorm's <c>icepll</c> chooses them: the reference is divided by DIVR+1 (10-133 MHz at the
/// phase detector), multiplied by DIVF+1 in the VCO (533-1066 MHz) and divided by 2^DIVQ
/// (DIVQ 1-6); of every legal setting the one nearest the requested output wins, the first
/// found on a tie (DIVR, then DIVF, then DIVQ ascending). FILTER_RANGE follows the phase
/// detector's frequency (iCE40 sysCLOCK PLL design guide, as icepll).
/// </summary>
public sealed record Ice40Pll(long ReferenceHz, int DivR, int DivF, int DivQ, int FilterRange)
{
    public const double PfdMinMhz = 10, PfdMaxMhz = 133, VcoMinMhz = 533, VcoMaxMhz = 1066;

    /// <summary>The output range the datasheet allows (icepll refuses requests outside it).</summary>
    public const double OutMinMhz = 16, OutMaxMhz = 275;

    /// <summary>The phase detector's input: the reference / (DIVR + 1).</summary>
    public double PfdMhz => ReferenceHz / 1e6 / (DivR + 1);

    public double VcoMhz => PfdMhz * (DivF + 1);

    /// <summary>The output clock, rounded to the hertz.</summary>
    public long OutHz => (long)Math.Round(VcoMhz * 1e6 / (1 << DivQ));

    /// <summary>The settings nearest <paramref name="requestedHz"/>; a request outside the PLL's output range is bad input.</summary>
    public static Ice40Pll For(long referenceHz, long requestedHz)
    {
        double fin = referenceHz / 1e6, want = requestedHz / 1e6;
        if (!(want >= OutMinMhz && want <= OutMaxMhz))
            throw new EieInputException(string.Create(CultureInfo.InvariantCulture,
                $"PLL clock: must be in [{OutMinMhz}, {OutMaxMhz}] MHz, got {want:0.###} MHz"));
        (int R, int F, int Q, double Out)? best = null;
        for (int divr = 0; divr <= 15; divr++)
        {
            double pfd = fin / (divr + 1);
            if (pfd < PfdMinMhz || pfd > PfdMaxMhz) continue;
            for (int divf = 0; divf <= 127; divf++)
            {
                double vco = pfd * (divf + 1);
                if (vco < VcoMinMhz || vco > VcoMaxMhz) continue;
                for (int divq = 1; divq <= 6; divq++)
                {
                    double output = vco / (1 << divq);
                    if (best is null || Math.Abs(output - want) < Math.Abs(best.Value.Out - want))
                        best = (divr, divf, divq, output);
                }
            }
        }
        if (best is not { } b)
            throw new EieInputException(string.Create(CultureInfo.InvariantCulture,
                $"PLL reference: must be in [{PfdMinMhz}, {PfdMaxMhz * 16}] MHz, got {fin:0.###} MHz"));
        double fdiv = fin / (b.R + 1);
        int filter = fdiv < 17 ? 1 : fdiv < 26 ? 2 : fdiv < 44 ? 3 : fdiv < 66 ? 4 : fdiv < 101 ? 5 : 6;
        return new Ice40Pll(referenceHz, b.R, b.F, b.Q, filter);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{ReferenceHz / 1e6:0.###} MHz -> {OutHz / 1e6:0.###} MHz (DIVR {DivR}, DIVF {DivF}, DIVQ {DivQ}, FILTER_RANGE {FilterRange})");
}
