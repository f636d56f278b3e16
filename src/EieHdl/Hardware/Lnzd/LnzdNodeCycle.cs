using System.Numerics;
using System.Runtime.CompilerServices;

namespace EieHdl.Hardware;

/// <summary>
/// An LNZD node's output register as timing sees it (valid and the offer's column index j)
/// and the grants it counted; the act and source PE travel with whoever models them.
/// </summary>
public struct LnzdNodeState
{
    public bool Valid;
    public int Idx;

    /// <summary>Events: offers taken from a child.</summary>
    public long Grants;
}

public sealed partial class LnzdNode
{
    /// <summary>
    /// The node's choice in one cycle, from its output register and the parent's ready_i:
    /// it accepts when the register is empty or being emptied; the winner is the lowest valid
    /// child (bit c of <paramref name="childValid"/>), -1 for none. The winner's ready_o is high
    /// iff the node accepts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Grant(in LnzdNodeState s, bool readyIn, uint childValid, out bool accept)
    {
        accept = !s.Valid || readyIn;
        return childValid == 0 ? -1 : BitOperations.TrailingZeroCount(childValid);
    }

    /// <summary>
    /// The clock edge: when accepting, the register takes the winner's offer (column index
    /// <paramref name="idx"/>) or empties. Returns true when it took an offer (the caller
    /// copies the winner's payload).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Commit(ref LnzdNodeState s, bool accept, int winner, int idx)
    {
        if (!accept) return false;
        s.Valid = winner >= 0;
        if (winner < 0) return false;
        s.Idx = idx;
        s.Grants++;
        return true;
    }
}
