using EieHdl.CycleModel;
using System.Runtime.CompilerServices;

namespace EieHdl.Hardware;

/// <summary>
/// The ptr read unit's timing register (a response held in the banks' read registers) and
/// its events; the pointers and the response payload live with whoever models them.
/// </summary>
public struct PtrReadState
{
    /// <summary>rsp_valid_o: a response is held.</summary>
    public bool RspValid;

    /// <summary>Events: requests taken; each reads one word of the even bank and one of the odd bank.</summary>
    public long Reads;
}

public sealed partial class PtrRead
{
    /// <summary>req_ready_o = !rsp_valid_o || rsp_ready_i (combinational in rsp_ready_i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ReqReady(in PtrReadState s, bool rspReady) => !s.RspValid || rspReady;

    /// <summary>
    /// The clock edge. Returns true when a request is taken: the caller loads the response
    /// payload (p[q], p[q+1], act) from the banks. Otherwise a taken response empties the stage.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Commit(ref PtrReadState s, bool reqValid, bool rspReady)
    {
        if (reqValid && (!s.RspValid || rspReady))
        {
            s.RspValid = true;
            s.Reads++;
            return true;
        }
        if (rspReady) s.RspValid = false;
        return false;
    }

    /// <summary>
    /// The unit in event form, for a request taken in cycle <paramref name="reqCycle"/> while
    /// rsp_ready_i is high from <paramref name="rspReadyFrom"/> on: the response is held from the
    /// next cycle and taken in the first cycle rsp_ready_i is high. req_ready_o is high again from
    /// that cycle (the same cycle may take the next request). Counts the read; returns the
    /// cycle the response is taken.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ResponseTaken(ref PtrReadState s, long reqCycle, long rspReadyFrom)
    {
        s.Reads++;
        return CycleTime.Later(reqCycle + 1, rspReadyFrom);
    }
}
