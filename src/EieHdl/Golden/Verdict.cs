namespace EieHdl.Golden;

/// <summary>
/// The verification verdict of one run of the hardware (verilated RTL, or a board) against the
/// golden model (every output bit) and the cycle model (the CCU's cycle counter). Every command
/// that runs hardware reports through this one type, so "RTL = golden = cycle model" means the
/// same thing everywhere.
/// </summary>
/// <param name="Golden">The golden model's outputs, in hardware row order.</param>
/// <param name="Got">The hardware's outputs, in the same order.</param>
/// <param name="Cycles">The hardware's cycle count.</param>
/// <param name="ModelCycles">The cycle model's count for the same run.</param>
/// <param name="ErrorFlag">The hardware raised error_o.</param>
public sealed record Verdict(int[] Golden, int[] Got, long Cycles, long ModelCycles, bool ErrorFlag)
{
    /// <summary>The first output that differs from the golden model's, or -1.</summary>
    public int FirstMismatch { get; } = GoldenModel.FirstMismatch(Golden, Got);

    /// <summary>Outputs that differ from the golden model's.</summary>
    public int Mismatches { get; } = Enumerable.Range(0, Math.Max(Golden.Length, Got.Length))
        .Count(i => i >= Golden.Length || i >= Got.Length || Golden[i] != Got[i]);

    public bool OutputsMatch => FirstMismatch < 0;

    /// <summary>Every output bit-exact and no error flag (the cycle count aside).</summary>
    public bool GoldenMatch => OutputsMatch && !ErrorFlag;

    public bool CyclesMatch => Cycles == ModelCycles;

    /// <summary>Every output bit-exact, the cycle count the cycle model's, and no error flag.</summary>
    public bool Match => OutputsMatch && CyclesMatch && !ErrorFlag;
}
