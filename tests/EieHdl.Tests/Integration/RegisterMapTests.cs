using System.Globalization;
using System.Text.Json.Nodes;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Integration;
using EieHdl.Processes;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Sim;

namespace EieHdl.Tests.Integration;

/// <summary>
/// The generated register map agrees with the host protocol: every address <see cref="HostProtocol"/>
/// issues in a whole run decodes, by the shifts and sizes in eie_regs.json, to a declared region,
/// PE and in-range offset with data that fits the word, and the named registers and fields sit
/// where the protocol writes them. The C header compiles warning-free and its macros give the
/// same addresses.
/// </summary>
public class RegisterMapTests
{
    private static JsonObject Generate(ScratchFolder scratch, string[] configArgs)
    {
        var run = InProcessCli.Run(["generate", .. configArgs, "--out", scratch["rtl"]]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (var f in new[] { RegisterMap.JsonFile, RegisterMap.MarkdownFile, RegisterMap.HeaderFile })
            Assert.True(File.Exists(Path.Combine(scratch["rtl"], f)), f);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(scratch["rtl"], RegisterMap.JsonFile)))!.AsObject();
    }

    private static JsonObject Region(JsonObject map, HostRegion region) =>
        map["regions"]!.AsArray().Single(r => (int)r!["index"]! == (int)region)!.AsObject();

    private static long Entry(JsonObject map, HostRegion region, string name) =>
        (long)Region(map, region)["entries"]!.AsArray().Single(e => (string)e!["name"]! == name)!["offset"]!;

    private static ulong Address(JsonObject map, HostRegion region, int pe, long offset) =>
        ((ulong)region << (int)map["regionShift"]!) | ((ulong)pe << (int)map["peShift"]!) | (ulong)offset;

    [Fact]
    public void EveryAddressOfARunDecodesIntoTheMapAndTheNamedWordsAreWhereTheProtocolWrites()
    {
        using var scratch = new ScratchFolder();
        string config = scratch["c.json"];
        File.WriteAllText(config, SimCase.ConfigJson);
        var map = Generate(scratch, ["--config", config]);
        var cfg = SimCase.Config;
        var (image, input, expected) = SimCase.Case.Value;
        var protocol = new HostProtocol(cfg);
        Assert.Equal(protocol.Params.HostAddrWidth, (int)map["addrWidth"]!);
        Assert.Equal(protocol.Params.HostDataWidth, (int)map["dataWidth"]!);

        var run = protocol.LoadModel(image).Concat(protocol.LoadInput(input))
            .Append(protocol.Start()).Append(protocol.ReadStatus()).Append(protocol.ReadCycles())
            .Concat(protocol.ReadOutputs(expected.Length, image.Layers.Count)).ToArray();
        int regionShift = (int)map["regionShift"]!, peShift = (int)map["peShift"]!;
        var seen = new HashSet<int>();
        foreach (var access in run)
        {
            Assert.True(access.Address < 1UL << (int)map["addrWidth"]!, $"{access.Address:x} is beyond the bus");
            int index = (int)(access.Address >> regionShift);
            int pe = (int)((access.Address >> peShift) & ((1UL << (regionShift - peShift)) - 1));
            long offset = (long)(access.Address & ((1UL << peShift) - 1));
            var region = Region(map, (HostRegion)index);
            seen.Add(index);
            Assert.True((bool)region["perPe"]! ? pe < cfg.Pes : pe == 0, $"{access.Address:x}: pe {pe}");
            Assert.True(offset < (long)region["words"]!, $"{access.Address:x}: offset {offset} of {region["name"]}");
            string mode = (string)region["access"]!;
            Assert.Contains(access.Write ? "W" : "R", mode);
            int bits = (int)region["wordBits"]!;
            if (access.Write && bits < 64) Assert.True(access.Data < 1UL << bits, $"{access.Address:x}: data {access.Data:x} wider than {bits} bits");
        }
        Assert.Equal(Enum.GetValues<HostRegion>().Select(r => (int)r).Order(), seen.Order());

        Assert.Equal(protocol.Start().Address, Address(map, HostRegion.Registers, 0, Entry(map, HostRegion.Registers, "Control")));
        Assert.Equal(protocol.ReadStatus().Address, Address(map, HostRegion.Registers, 0, Entry(map, HostRegion.Registers, "Status")));
        Assert.Equal(protocol.ReadCycles().Address, Address(map, HostRegion.Registers, 0, Entry(map, HostRegion.Registers, "Cycles")));
        var tables = protocol.LoadTables(image).ToArray();
        Assert.Equal(tables[^1].Address, Address(map, HostRegion.Registers, 0, Entry(map, HostRegion.Registers, "LayerCount")));
        long rowFields = (long)map["layerRowFields"]!;
        // The protocol writes the five fields of each row in field order; the second row's OutLength.
        int writesPerRow = Enum.GetValues<LayerField>().Length;
        Assert.Equal(tables[writesPerRow + (int)LayerField.OutLength].Address,
            Address(map, HostRegion.LayerTable, 0, rowFields + Entry(map, HostRegion.LayerTable, "OutLength")));
        // The last output of a two-layer run: act half 0, in PE (n-1) mod Pes at address (n-1) / Pes.
        int last = expected.Length - 1, halfShift = (int)map["actHalfShift"]!;
        Assert.Equal(protocol.ReadOutputs(expected.Length, 2).Last().Address,
            Address(map, HostRegion.Act, last % cfg.Pes, (0L << halfShift) | (long)(last / cfg.Pes)));
    }

    [Fact]
    public void TheCHeaderCompilesCleanAndItsMacrosGiveTheProtocolsAddresses()
    {
        using var scratch = new ScratchFolder();
        Generate(scratch, ["--pes", "64"]);
        var cfg = new EieConfig { Pes = 64 }.Validate();
        var protocol = new HostProtocol(cfg);
        var p = protocol.Params;
        File.WriteAllText(scratch["probe.c"], """
            #include <stdio.h>
            #include "eie_regs.h"
            int main(void)
            {
                printf("%llu\n", (unsigned long long)EIE_ADDR(EIE_REGION_REGISTERS, 0, EIE_REGISTERS_CONTROL));
                printf("%llu\n", (unsigned long long)EIE_ADDR(EIE_REGION_REGISTERS, 0, EIE_REGISTERS_CYCLES));
                printf("%llu\n", (unsigned long long)EIE_ADDR(EIE_REGION_ACT, 63, EIE_ACT_OFFSET(1, 5)));
                printf("%llu\n", (unsigned long long)EIE_ADDR(EIE_REGION_LAYER_TABLE, 0, EIE_LAYER_FIELD(3, EIE_LAYER_TABLE_FLAGS)));
                printf("%llu\n", (unsigned long long)EIE_ADDR(EIE_REGION_SPMAT, 17, EIE_SPMAT_WORDS - 1));
                printf("%llu %llu\n", (unsigned long long)EIE_REGISTERS_STATUS_BUSY, (unsigned long long)EIE_REGISTERS_STATUS_DONE);
                printf("%llu %llu\n", (unsigned long long)EIE_LAYER_TABLE_FLAGS_BIAS, (unsigned long long)EIE_LAYER_TABLE_FLAGS_RELU);
                printf("%llu\n", (unsigned long long)EIE_LAYER_TABLE_IN_LENGTH_MASK);
                return 0;
            }
            """);
        var compile = RtlTools.Run("cc", ["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-I", "rtl", "-o", "probe", "probe.c"], scratch.Path,
            installHint: "apt-get install -y gcc");
        Assert.True(compile.Ok, compile.ToString());
        var probe = RtlTools.Run(scratch["probe"], [], scratch.Path);
        Assert.True(probe.Ok, probe.ToString());
        string[] expected =
        [
            protocol.Start().Address.ToString(CultureInfo.InvariantCulture),
            protocol.ReadCycles().Address.ToString(CultureInfo.InvariantCulture),
            p.Address(HostRegion.Act, 63, p.ActOffset(1, 5)).ToString(CultureInfo.InvariantCulture),
            p.Address(HostRegion.LayerTable, 0, 3L * CcuParams.LayerRowFields + (int)LayerField.Flags).ToString(CultureInfo.InvariantCulture),
            p.Address(HostRegion.Spmat, 17, cfg.SpmatDepth - 1).ToString(CultureInfo.InvariantCulture),
            "1 2",
            "1 2",
            ((1UL << p.LenWidth) - 1).ToString(CultureInfo.InvariantCulture),
        ];
        Assert.Equal(expected, probe.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        string markdown = File.ReadAllText(Path.Combine(scratch["rtl"], RegisterMap.MarkdownFile));
        Assert.Contains($"{p.HostAddrWidth} address bits, {p.HostDataWidth} data bits", markdown);
        Assert.Contains($"| {(int)HostRegion.Spmat} | Spmat | 0x{p.Address(HostRegion.Spmat, 0, 0):x} | yes | {cfg.SpmatDepth} | {cfg.SpmatWordBits} | W |", markdown);
    }

    [Fact]
    public void WithAxiLiteEveryAccessOfARunIsAnOkayLaneAndTheHeaderGivesTheBridgesByteAddresses()
    {
        using var scratch = new ScratchFolder();
        string config = scratch["c.json"];
        File.WriteAllText(config, SimCase.ConfigJson);
        var map = Generate(scratch, ["--config", config, "--set", "HostBus=axi4lite"]);
        var cfg = (SimCase.Config with { HostBus = HostBus.AxiLite }).Validate();
        var bridge = new AxiLiteHost(cfg);
        var p = bridge.Params;
        var axi = map["axi"]!.AsObject();
        Assert.Equal(bridge.AddrWidth, (int)axi["addrWidth"]!);
        Assert.Equal(AxiLiteHost.DataWidth, (int)axi["dataWidth"]!);
        Assert.Equal(bridge.Lanes, (int)axi["lanes"]!);
        int wordShift = (int)axi["wordShift"]!;

        // Every transaction of a whole run, split into lanes as the co-simulation sends them: each
        // byte address is the JSON's (word << wordShift) | lane << 2 and the bridge's decode answers OKAY.
        var (image, input, expected) = SimCase.Case.Value;
        var protocol = new HostProtocol(cfg);
        var run = protocol.LoadModel(image).Concat(protocol.LoadInput(input)).Append(protocol.Start())
            .Append(protocol.ReadStatus()).Append(protocol.ReadCycles()).Concat(protocol.ReadOutputs(expected.Length, image.Layers.Count));
        int lanesWritten = 0;
        foreach (var access in run)
        {
            var lanes = access.Write ? bridge.Writes(access).ToArray() : [(bridge.ByteAddress(access.Address, 0), 0u)];
            foreach (var (address, _) in lanes)
            {
                int lane = (int)((address >> 2) & (ulong)(bridge.Lanes - 1));
                Assert.Equal((access.Address << wordShift) | ((ulong)lane << 2), address);
                Assert.True(bridge.Response(address, access.Write, busy: false) == AxiResp.Okay, $"0x{address:x} ({(access.Write ? "write" : "read")})");
                lanesWritten += lane;
            }
        }
        Assert.True(lanesWritten > 0, "no spmat word needed its high lane");

        File.WriteAllText(scratch["probe.c"], """
            #include <stdio.h>
            #include "eie_regs.h"
            int main(void)
            {
                printf("%llu\n", (unsigned long long)EIE_AXI_ADDR(EIE_REGION_SPMAT, 1, EIE_SPMAT_WORDS - 1, 1));
                printf("%llu\n", (unsigned long long)EIE_AXI_ADDR(EIE_REGION_REGISTERS, 0, EIE_REGISTERS_CYCLES, 0));
                printf("%llu\n", (unsigned long long)EIE_AXI_ADDR(EIE_REGION_ACT, 1, EIE_ACT_OFFSET(1, 3), 0));
                printf("%llu %llu %llu\n", (unsigned long long)EIE_AXI_RESP_OKAY, (unsigned long long)EIE_AXI_RESP_SLVERR,
                       (unsigned long long)EIE_AXI_ADDR_WIDTH);
                return 0;
            }
            """);
        var compile = RtlTools.Run("cc", ["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-I", "rtl", "-o", "probe", "probe.c"], scratch.Path,
            installHint: "apt-get install -y gcc");
        Assert.True(compile.Ok, compile.ToString());
        var probe = RtlTools.Run(scratch["probe"], [], scratch.Path);
        Assert.True(probe.Ok, probe.ToString());
        ulong[] addresses =
        [
            bridge.ByteAddress(p.Address(HostRegion.Spmat, 1, cfg.SpmatDepth - 1), 1),
            bridge.ByteAddress(protocol.ReadCycles().Address, 0),
            bridge.ByteAddress(p.Address(HostRegion.Act, 1, p.ActOffset(1, 3)), 0),
        ];
        // The spmat lane is write-only, the cycle counter and the act readable: the decode maps all three.
        Assert.Equal(AxiResp.Okay, bridge.Response(addresses[0], write: true, busy: false));
        Assert.Equal(AxiResp.Okay, bridge.Response(addresses[1], write: false, busy: false));
        Assert.Equal(AxiResp.Okay, bridge.Response(addresses[2], write: false, busy: false));
        Assert.Equal([.. addresses.Select(a => a.ToString(CultureInfo.InvariantCulture)), $"0 2 {bridge.AddrWidth}"],
            probe.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("## AXI4-Lite (eie_axil_host)", File.ReadAllText(Path.Combine(scratch["rtl"], RegisterMap.MarkdownFile)));
    }
}
