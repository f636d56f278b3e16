using System.Globalization;
using EieHdl.Arithmetic;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>Widths of the re-quantiser, read from the config.</summary>
/// <param name="AccWidth">Bits of the accumulator value (signed).</param>
/// <param name="ActWidth">Bits of the act it becomes (signed).</param>
/// <param name="Shift">s = AccFracBits - ActFracBits, the right shift of rule R2.</param>
public sealed record RequantParams(int AccWidth, int ActWidth, int Shift)
{
    public static RequantParams From(EieConfig config) =>
        new(config.AccWidth, config.ActWidth, config.AccFracBits - config.ActFracBits);

    /// <summary>
    /// The shift the hardware applies: s, or AccWidth when s is larger. Both give 0 for every
    /// input once s &gt;= AccWidth ((acc + 2^(s-1)) lies in [0, 2^s)), and AccWidth keeps the
    /// rounding constant inside the AccWidth+1-bit sum.
    /// </summary>
    public int HwShift => Math.Min(Shift, AccWidth);

    /// <summary>Bits of the sum: one more than the accumulator, so adding 2^(s-1) never overflows.</summary>
    public int SumWidth => AccWidth + 1;

    /// <summary>Bits of the shifted sum, SumWidth - HwShift (at least 1).</summary>
    public int ShiftedWidth => SumWidth - HwShift;
}

/// <summary>
/// <c>eie_requant</c>: rules R1-R3 of docs/arithmetic.md: ReLU, then (acc + 2^(s-1)) &gt;&gt;&gt; s
/// (no rounding add when s = 0), a register, then saturation to ActWidth (one cycle). The
/// behavioural model is <see cref="FixedPoint.Requantize"/> itself, so the rules live in one
/// place; <see cref="Step"/> only names it.
/// </summary>
public sealed class Requant : HardwareUnit
{
    private readonly FixedPoint _fixedPoint;

    public Requant(EieConfig config)
    {
        Params = RequantParams.From(config);
        _fixedPoint = new FixedPoint(config);
    }

    public RequantParams Params { get; }

    public override string ModuleName => "eie_requant";

    /// <summary>act_o one cycle after acc_i = <paramref name="acc"/> (its signed value) and relu_i.</summary>
    public int Step(long acc, bool relu) => _fixedPoint.Requantize(acc, relu);

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            int a = p.AccWidth, w = p.ActWidth, s = p.HwShift, sh = p.ShiftedWidth;
            string shiftedExpr = s == 0
                ? "{acc_i[" + Inv($"{a - 1}") + "], acc_i}"
                : Inv($"sum[{a}:{s}]");
            string actExpr;
            if (sh > w)
                actExpr = Inv($"fits ? shifted_q[{w - 1}:0] : (shifted_q[{sh - 1}] ? ")
                    + VerilogText.Dec(w, 1L << (w - 1)) + " : " + VerilogText.Dec(w, (1L << (w - 1)) - 1) + ")";
            else if (sh == w)
                actExpr = "shifted_q";
            else
                actExpr = Inv($"{{{{{w - sh}{{{(sh == 1 ? "shifted_q" : Inv($"shifted_q[{sh - 1}]"))}}}}}, shifted_q}}");
            return new
            {
                AccRange = VerilogText.Range(a),
                SumRange = VerilogText.Range(p.SumWidth),
                ShiftedRange = VerilogText.Range(sh),
                ShiftedZero = VerilogText.Dec(sh, 0),
                AccSign = Inv($"acc_i[{a - 1}]"),
                Rounds = s > 0,
                RoundBias = s > 0 ? VerilogText.Dec(p.SumWidth, 1L << (s - 1)) : "",
                RoundBits = s > 0 ? Inv($"sum[{s - 1}:0]") : "",
                ShiftedExpr = shiftedExpr,
                Saturates = sh > w,
                TopRange = sh > w ? VerilogText.Range(sh - w + 1) : "",
                TopExpr = sh > w ? Inv($"shifted_q[{sh - 1}:{w - 1}]") : "",
                ActExpr = actExpr,
            };
        }
    }

    public override string Doc
    {
        get
        {
            var p = Params;
            string sat = p.ShiftedWidth > p.ActWidth
                ? Inv($"clamped to [-2^{p.ActWidth - 1}, 2^{p.ActWidth - 1} - 1] (R3)")
                : Inv($"sign-extended: {p.ShiftedWidth} bits always fit, R3 never clamps");
            string round = p.Shift == 0
                ? "s = 0: no rounding add, no shift (R2)"
                : Inv($"s = {p.Shift}: add 2^{p.Shift - 1} in {p.SumWidth} bits (never overflows), shift right by {p.HwShift} (R2)")
                  + (p.HwShift < p.Shift ? Inv($"; s >= AccWidth, so every result is 0 and shifting by {p.HwShift} is exact") : "");
            return string.Join("\n",
            [
                "eie_requant: ReLU and re-quantisation of one accumulator value to an act,",
                "rules R1-R3 of docs/arithmetic.md; model FixedPoint.Requantize.",
                Inv($"AccWidth {p.AccWidth}, ActWidth {p.ActWidth}, s = AccFracBits - ActFracBits = {p.Shift}."),
                "  R1: if relu_i, a negative acc_i becomes 0 (it clears the register, as acc_live_i low does)",
                "  " + round,
                "  the shifted sum is " + sat,
            ]);
        }
    }

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock("clock; the one register (between R2 and R3) needs no reset"),
        Port.In("acc_i", Params.AccWidth, "accumulator value, signed two's complement"),
        Port.In("relu_i", 1, "apply ReLU (R1)"),
        Port.In("acc_live_i", 1, "acc_i is the accumulator; low: the accumulator is 0 (acc_i is then ignored)"),
        Port.Out("act_o", Params.ActWidth, "the act, signed two's complement"),
    ];

    /// <summary>Cycles from an accumulator value to its act.</summary>
    public const int Cycles = 1;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("acc_i", "act_o", Cycles, "act_o in cycle t+1 is the act of acc_i (0 if acc_live_i is low) and relu_i in cycle t (the register holds the shifted sum; R3's saturation follows it)"),
    ];

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
