using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>Shape of a PE's pointer read unit, read from the config.</summary>
/// <param name="PtrDepth">Pointers per PE, both banks together; indices 0 .. PtrDepth-1.</param>
/// <param name="PtrWidth">Bits of one pointer (an absolute spmat entry address).</param>
/// <param name="ActWidth">Bits of the activation carried beside a request.</param>
public sealed record PtrReadParams(int PtrDepth, int PtrWidth, int ActWidth)
{
    public static PtrReadParams From(EieConfig config) => new(config.PtrDepth, config.PtrWidth, config.ActWidth);

    /// <summary>Bits of a pointer index q (request and load address).</summary>
    public int IdxWidth => VerilogText.IndexBits(PtrDepth);

    /// <summary>Words of the even bank: p[0], p[2], ... (the same shapes as <see cref="SramSinglePort.ShapesFor"/>).</summary>
    public int EvenDepth => (PtrDepth + 1) / 2;

    /// <summary>Words of the odd bank: p[1], p[3], ...</summary>
    public int OddDepth => PtrDepth / 2;

    public int EvenAddrWidth => VerilogText.IndexBits(EvenDepth);

    public int OddAddrWidth => VerilogText.IndexBits(OddDepth);

    /// <summary>Bits of q >> 1 as a wire (at least 1).</summary>
    public int HalfWidth => Math.Max(1, IdxWidth - 1);
}

/// <summary>Values on the pointer read unit's inputs during one cycle; data words are raw bits.</summary>
public readonly record struct PtrReadInputs(
    bool ReqValid, int ReqCol, uint ReqAct, bool RspReady, bool LoadWe, int LoadAddr, uint LoadData);

/// <summary>Values on its outputs during one cycle; the rsp payload matters only with RspValid.</summary>
public readonly record struct PtrReadOutputs(bool ReqReady, bool RspValid, uint RspStart, uint RspEnd, uint RspAct);

/// <summary>
/// <c>eie_ptr_read</c>: a PE's pointer read unit. Column j of a layer has its entries at
/// [p[q], p[q+1]) with q = PtrBase + j; both pointers come out in the same cycle because
/// p[2k] lives in the even bank and p[2k+1] in the odd bank, two single-port eie_sram_sp
/// instances read in parallel. For an even q both words have address q/2; for an odd q the
/// odd bank reads (q-1)/2 and the even bank (q+1)/2, and the outputs are swapped. In short,
/// even address (q+1)>>1, odd address q>>1.
/// One valid/ready stage: the SRAMs' own output registers are the stage, so a response that
/// is not taken holds simply because the banks are not read again (their read data holds).
/// </summary>
public sealed partial class PtrRead : HardwareUnit
{
    private readonly uint[] _pointers;
    private PtrReadState _state;
    private uint _rspStart, _rspEnd, _rspAct;

    public PtrRead(EieConfig config) : this(PtrReadParams.From(config)) { }

    public PtrRead(PtrReadParams parameters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameters.PtrDepth, 2);
        if (parameters.EvenAddrWidth != parameters.HalfWidth)
            throw new InvalidOperationException("even bank address must be as wide as q >> 1");
        Params = parameters;
        _pointers = new uint[parameters.PtrDepth];
        Sram = new SramSinglePort(new SramShape("ptr even bank", parameters.PtrWidth, parameters.EvenDepth));
    }

    public PtrReadParams Params { get; }

    /// <summary>The RAM module both banks instantiate (with their own Width and Depth).</summary>
    public SramSinglePort Sram { get; }

    public override string ModuleName => "eie_ptr_read";

    public override IReadOnlyList<HardwareUnit> Submodules => [Sram];

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            return new
            {
                ActRange = VerilogText.Range(p.ActWidth),
                HalfRange = VerilogText.Range(p.HalfWidth),
                EvenRange = VerilogText.Range(p.EvenAddrWidth),
                OddRange = VerilogText.Range(p.OddAddrWidth),
                p.PtrWidth,
                p.EvenDepth,
                p.OddDepth,
                // q >> 1 for the request and the load address; 1'b0 when q has a single bit.
                ReqHalf = Half("req_col_i"),
                LoadHalf = Half("load_addr_i"),
                ReqLsb = Lsb("req_col_i"),
                LoadLsb = Lsb("load_addr_i"),
                // (q >> 1) + q[0] = (q+1) >> 1: the even bank address of a request.
                ReqEvenAddr = p.HalfWidth == 1 ? "req_half + req_lsb"
                    : Inv($"req_half + {{{VerilogText.Dec(p.HalfWidth - 1, 0)}, req_lsb}}"),
                // The even bank address is always HalfWidth bits; the odd one may be narrower.
                ReqOddAddr = OddSlice("req_half"),
                LoadOddAddr = OddSlice("load_half"),
            };
        }
    }

    private string Half(string port) => Params.IdxWidth == 1 ? "1'b0" : Inv($"{port}[{Params.IdxWidth - 1}:1]");

    private string Lsb(string port) => Params.IdxWidth == 1 ? port : port + "[0]";

    private string OddSlice(string half) =>
        Params.OddAddrWidth == Params.HalfWidth ? half : Inv($"{half}{VerilogText.Slice(0, Params.OddAddrWidth)}");

    public override string Doc => string.Join("\n",
    [
        "eie_ptr_read: a PE's pointer read unit. A request names a pointer index q = PtrBase + j",
        "and gets back p[q] and p[q+1], the entry range [start, end) of column j, in one access:",
        "p[2k] is word k of the even bank, p[2k+1] word k of the odd bank.",
        Inv($"{Params.PtrDepth} pointers of {Params.PtrWidth} bits: even bank {Params.EvenDepth} words, odd bank {Params.OddDepth} words."),
    ]);

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock(),
        Port.Reset("empties the response stage"),
        Port.In("req_valid_i", 1, "a request is offered"),
        Port.Out("req_ready_o", 1, "the request is taken: !rsp_valid_o || rsp_ready_i"),
        Port.In("req_col_i", Params.IdxWidth, "q, the pointer index; must be <= PtrDepth-2 (p[q+1] must exist)"),
        Port.In("req_act_i", Params.ActWidth, "a_j, carried unchanged to rsp_act_o"),
        Port.Out("rsp_valid_o", 1, "a response is held"),
        Port.In("rsp_ready_i", 1, "the consumer takes the response"),
        Port.Out("rsp_start_o", Params.PtrWidth, "p[q], first entry of the column (valid with rsp_valid_o)"),
        Port.Out("rsp_end_o", Params.PtrWidth, "p[q+1], one past its last entry (valid with rsp_valid_o)"),
        Port.Out("rsp_act_o", Params.ActWidth, "req_act_i of the request (valid with rsp_valid_o)"),
        Port.In("load_we_i", 1, "I/O mode: write load_data_i to p[load_addr_i]; never in a cycle with req_valid_i (a load takes both banks' ports)"),
        Port.In("load_addr_i", Params.IdxWidth, "pointer index of the write"),
        Port.In("load_data_i", Params.PtrWidth, "pointer value"),
    ];

    /// <summary>Cycles from a request taken to its response.</summary>
    public const int RequestLatency = 1;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("req_valid_i", "rsp_valid_o", RequestLatency,
            "a request taken in cycle t is answered in cycle t+1, one request per cycle at full throughput"),
    ];

    public override string LatencyNote => string.Join("\n",
    [
        "A response not taken holds (rsp_* unchanged); the next request is taken in the cycle it",
        "leaves (req_ready_o follows rsp_ready_i combinationally), and the banks are not read",
        "before, so their read data holds. The CCU keeps loads (I/O mode) and requests (computing",
        "mode) apart, so req_ready_o does not look at load_we_i: it is on the PE's column path,",
        "which limits the clock on iCE40. A pointer never loaded reads as X.",
    ]);

    /// <summary>The pointer array as the host loaded it (the banks' contents).</summary>
    public IReadOnlyList<uint> Pointers => _pointers;

    /// <summary>One clock cycle: returns the outputs seen during the cycle, then applies the edge.</summary>
    public PtrReadOutputs Step(PtrReadInputs inputs)
    {
        bool reqReady = ReqReady(_state, inputs.RspReady);
        if (inputs.LoadWe && inputs.ReqValid)
            throw new InvalidOperationException("a load and a request in one cycle: loads are for I/O mode only");
        var seen = new PtrReadOutputs(reqReady, _state.RspValid, _rspStart, _rspEnd, _rspAct);
        if (inputs.LoadWe)
        {
            if (inputs.LoadAddr < 0 || inputs.LoadAddr >= Params.PtrDepth)
                throw new ArgumentOutOfRangeException(nameof(inputs), $"load address {inputs.LoadAddr} beyond PtrDepth {Params.PtrDepth}");
            _pointers[inputs.LoadAddr] = inputs.LoadData & Mask(Params.PtrWidth);
        }
        if (reqReady && inputs.ReqValid && (inputs.ReqCol < 0 || inputs.ReqCol > Params.PtrDepth - 2))
            throw new ArgumentOutOfRangeException(nameof(inputs), $"pointer index {inputs.ReqCol} beyond PtrDepth-2");
        if (Commit(ref _state, inputs.ReqValid, inputs.RspReady))
        {
            _rspStart = _pointers[inputs.ReqCol];
            _rspEnd = _pointers[inputs.ReqCol + 1];
            _rspAct = inputs.ReqAct & Mask(Params.ActWidth);
        }
        return seen;
    }

    /// <summary>The unit's timing register and event counts.</summary>
    public PtrReadState State => _state;

    public void Reset() => _state.RspValid = false;

    private static uint Mask(int width) => width >= 32 ? uint.MaxValue : (1u << width) - 1;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
