using System.Globalization;
using System.Text;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Hardware;

namespace EieHdl.Simulation.Testbench;

/// <summary>Kinds of a testbench transaction (the first hex digit of its line).</summary>
public enum TbKind
{
    /// <summary>Write Data to Address.</summary>
    Write = 0x0,
    /// <summary>Read Address and compare the answer with Expected; Data is the output index.</summary>
    ReadExpect = 0x1,
    /// <summary>Wait until done_o, at most Data cycles.</summary>
    WaitDone = 0x2,
    /// <summary>Read Address (the CCU cycle counter) and report it.</summary>
    ReadCycles = 0x3,
    /// <summary>Stop reading transactions.</summary>
    End = 0xf,
}

/// <summary>One line of the transaction file.</summary>
public readonly record struct TbTransaction(TbKind Kind, ulong Address, ulong Data, ulong Expected);

/// <summary>What <see cref="TestbenchWriter.Write"/> wrote.</summary>
/// <param name="Folder">The bundle folder (RTL, testbench, parameters, transactions, scripts).</param>
/// <param name="Transactions">Lines of the transaction file.</param>
/// <param name="Outputs">Outputs the testbench checks.</param>
/// <param name="Files">File names written, relative to <paramref name="Folder"/>.</param>
public sealed record TestbenchBundle(string Folder, int Transactions, int Outputs, IReadOnlyList<string> Files);

/// <summary>
/// Writes the portable testbench bundle for a model, an input and the expected (golden)
/// outputs: the generated RTL with eie.f, <c>eie_tb.v</c> (sim/eie_tb.v, or sim/eie_tb_axil.v with
/// HostBus axi4lite) with the <c>eie_tb_common.vh</c> it includes, <c>tb_params.vh</c>,
/// <c>transactions.hex</c> (the host transactions of <see cref="HostProtocol"/>: load the model,
/// load the input, start, wait for done, read the cycle counter, read and check every output),
/// the GTKWave save file <c>eie_tb.gtkw</c> (<see cref="WaveSave"/>) and the scripts
/// <c>run_iverilog.sh</c> and <c>run_verilator.sh</c>, which exit 0 on PASS.
/// </summary>
public static class TestbenchWriter
{
    public const string TestbenchFile = "eie_tb.v";
    public const string ParamsFile = "tb_params.vh";
    public const string CommonFile = TestbenchSource.CommonFile;
    public const string TransactionsFile = "transactions.hex";
    public const string IverilogScript = "run_iverilog.sh";
    public const string VerilatorScript = "run_verilator.sh";
    public const long DefaultMaxCycles = 10_000_000;

    /// <summary>The files <c>eie_tb.v</c> `includes, found through the bundle folder (<c>-I .</c>).</summary>
    public static IReadOnlyList<string> IncludeFiles { get; } = [ParamsFile, CommonFile];

    /// <summary>Hex digits of the address field and of the data and expected fields.</summary>
    public static (int AddressDigits, int DataDigits) FieldDigits(EieConfig config)
    {
        var p = new CcuParams(config);
        return ((p.HostAddrWidth + 3) / 4, (p.HostDataWidth + 3) / 4);
    }

    /// <summary>
    /// The transactions of one run: LoadModel, LoadInput, Start, wait for done, read cycles, one
    /// read-and-expect per output of the last layer (expected masked to ActWidth, as the RTL
    /// zero-extends an act read), end.
    /// </summary>
    public static IReadOnlyList<TbTransaction> Transactions(EieConfig config, ModelImage image, ReadOnlySpan<int> input,
        ReadOnlySpan<int> expected, long maxCycles = DefaultMaxCycles)
    {
        var last = image.Layers[^1];
        if (input.Length != image.Layers[0].Inputs)
            throw new ArgumentException($"input must have {image.Layers[0].Inputs} values, got {input.Length}", nameof(input));
        if (expected.Length != last.Outputs)
            throw new ArgumentException($"expected must have {last.Outputs} values, got {expected.Length}", nameof(expected));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCycles, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCycles, int.MaxValue);

        var host = new HostProtocol(config);
        var list = new List<TbTransaction>();
        foreach (var a in host.LoadModel(image)) list.Add(new(TbKind.Write, a.Address, a.Data, 0));
        foreach (var a in host.LoadInput(input)) list.Add(new(TbKind.Write, a.Address, a.Data, 0));
        var start = host.Start();
        list.Add(new(TbKind.Write, start.Address, start.Data, 0));
        list.Add(new(TbKind.WaitDone, 0, (ulong)maxCycles, 0));
        list.Add(new(TbKind.ReadCycles, host.ReadCycles().Address, 0, 0));
        ulong actMask = (1UL << config.ActWidth) - 1;
        int i = 0;
        foreach (var read in host.ReadOutputs(last.Outputs, image.Layers.Count))
        {
            list.Add(new(TbKind.ReadExpect, read.Address, (ulong)i, (ulong)expected[i] & actMask));
            i++;
        }
        list.Add(new(TbKind.End, 0, 0, 0));
        return list;
    }

    /// <summary>One line: kind (1 digit), address, data, expected; fixed width, lower-case hex, no separators.</summary>
    public static string FormatLine(TbTransaction t, int addressDigits, int dataDigits) =>
        ((int)t.Kind).ToString("x1", CultureInfo.InvariantCulture)
        + Hex(t.Address, addressDigits) + Hex(t.Data, dataDigits) + Hex(t.Expected, dataDigits);

    private static string Hex(ulong value, int digits)
    {
        var text = value.ToString("x", CultureInfo.InvariantCulture);
        if (text.Length > digits) throw new ArgumentOutOfRangeException(nameof(value), $"0x{text} does not fit {digits} hex digits");
        return text.PadLeft(digits, '0');
    }

    /// <summary>The text of tb_params.vh: the `defines eie_tb.v reads.</summary>
    public static string ParamsText(EieConfig config, int transactions)
    {
        var p = new CcuParams(config);
        var (ad, dd) = FieldDigits(config);
        var s = new StringBuilder();
        s.Append("// tb_params.vh: generated by EieHdl for eie_tb.v (see sim/README.md)\n");
        s.Append(CultureInfo.InvariantCulture, $"// {RtlGenerator.ConfigDigest(config)}\n");
        s.Append(CultureInfo.InvariantCulture, $"`define TB_PES {config.Pes}\n");
        s.Append(CultureInfo.InvariantCulture, $"`define TB_ADDR_W {p.HostAddrWidth}\n");
        s.Append(CultureInfo.InvariantCulture, $"`define TB_DATA_W {p.HostDataWidth}\n");
        s.Append(CultureInfo.InvariantCulture, $"`define TB_ACT_W {config.ActWidth}\n");
        s.Append(CultureInfo.InvariantCulture, $"`define TB_ADDR_D {ad}\n");
        s.Append(CultureInfo.InvariantCulture, $"`define TB_DATA_D {dd}\n");
        s.Append(CultureInfo.InvariantCulture, $"`define TB_N {transactions}\n");
        if (config.IsAxiLite)
        {
            var axi = new AxiLiteHost(config);
            s.Append(CultureInfo.InvariantCulture, $"`define TB_AXI_AW {axi.AddrWidth}\n");
            s.Append(CultureInfo.InvariantCulture, $"`define TB_LANES {axi.Lanes}\n");
            s.Append(CultureInfo.InvariantCulture, $"`define TB_LANE_W {axi.LaneBits}\n");
        }
        s.Append(CultureInfo.InvariantCulture, $"`define TB_FILE \"{TransactionsFile}\"\n");
        return s.ToString();
    }

    /// <summary>
    /// Writes the bundle into <paramref name="folder"/> (created if missing; files of the same
    /// names are overwritten). For an all-or-nothing folder, call it inside AtomicOutput.WriteFolder.
    /// </summary>
    public static TestbenchBundle Write(string folder, EieConfig config, ModelImage image, ReadOnlySpan<int> input,
        ReadOnlySpan<int> expected, long maxCycles = DefaultMaxCycles)
    {
        var transactions = Transactions(config, image, input, expected, maxCycles);
        var (ad, dd) = FieldDigits(config);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        void Put(string name, string text)
        {
            File.WriteAllText(Path.Combine(folder, name), text, utf8);
            files.Add(name);
        }

        var rtl = RtlGenerator.Generate(config);
        foreach (var f in rtl.AllFiles) Put(f.Name, f.Text);
        Put(TestbenchFile, TestbenchSource.For(config));
        Put(CommonFile, TestbenchSource.CommonText);
        Put(ParamsFile, ParamsText(config, transactions.Count));
        var lines = new StringBuilder(transactions.Count * (1 + ad + 2 * dd + 1));
        foreach (var t in transactions) lines.Append(FormatLine(t, ad, dd)).Append('\n');
        Put(TransactionsFile, lines.ToString());
        Put(WaveSave.FileName, WaveSave.Text(config));
        Put(IverilogScript, IverilogScriptText);
        Put(VerilatorScript, VerilatorScriptText);
        if (!OperatingSystem.IsWindows())
            foreach (var script in new[] { IverilogScript, VerilatorScript })
                File.SetUnixFileMode(Path.Combine(folder, script),
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return new TestbenchBundle(folder, transactions.Count, expected.Length, files);
    }

    /// <summary>
    /// Compiles with Icarus (Verilog-2005) and runs; exit 0 exactly when the testbench printed PASS.
    /// Its arguments go to vvp: <c>+vcd[=FILE]</c> dumps waves, with <c>-fst</c> as FST.
    /// </summary>
    public const string IverilogScriptText = """
        #!/bin/sh
        # EieHdl portable testbench under Icarus Verilog: exit 0 on PASS, 1 on FAIL.
        # Arguments go to vvp: +vcd dumps waves to eie_tb.vcd, +vcd=FILE to FILE, -fst as FST.
        set -e
        cd "$(dirname "$0")"
        iverilog -g2005 -Wall -Wno-timescale -Wno-implicit-dimensions -I . -s eie_tb -o eie_tb.vvp -c eie.f eie_tb.v
        vvp -n eie_tb.vvp "$@" > iverilog.log 2>&1 || true
        cat iverilog.log
        grep -q '^PASS ' iverilog.log

        """;

    /// <summary>Builds with <c>verilator --binary</c> and runs; exit 0 exactly when the testbench printed PASS.</summary>
    public const string VerilatorScriptText = """
        #!/bin/sh
        # EieHdl portable testbench under Verilator (--binary: --main --exe --build --timing):
        # exit 0 on PASS, 1 on FAIL. VERILATOR_OPT sets the C++ optimisation (default -O1).
        set -e
        cd "$(dirname "$0")"
        opt="${VERILATOR_OPT:--O1}"
        verilator --binary -j "${VERILATOR_JOBS:-2}" -Wno-fatal -Wno-lint -Wno-style -Wno-TIMESCALEMOD -I. --top-module eie_tb \
          -Mdir obj_verilator -MAKEFLAGS "OPT_FAST=$opt OPT_SLOW=$opt OPT_GLOBAL=$opt" -f eie.f eie_tb.v > verilator_build.log 2>&1 \
          || { cat verilator_build.log; exit 2; }
        ./obj_verilator/Veie_tb > verilator.log 2>&1 || true
        cat verilator.log
        grep -q '^PASS ' verilator.log

        """;
}
