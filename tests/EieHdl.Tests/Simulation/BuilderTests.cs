using EieHdl.Hardware;
using EieHdl.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.Simulation;

/// <summary>Caching, failures, wide ports and tracing of <see cref="VerilatedModelBuilder"/> builds.</summary>
[Collection(SimCollection.Name)]
public class BuilderTests(SimFixture fixture, ITestOutputHelper output)
{
    /// <summary>A 100-bit input registered to a 100-bit output, plus a narrow combinational path.</summary>
    private const string WideModule = """
        module wide_reg (
          input  wire         clk_i,
          input  wire [99:0]  d_i,
          output reg  [99:0]  q_o,
          input  wire [40:0]  n_i,
          output wire [40:0]  n_o,
          output wire         parity_o
        );
          always @(posedge clk_i) q_o <= d_i;
          assign n_o = ~n_i;
          assign parity_o = ^d_i;
        endmodule
        """;

    [Fact]
    public void SecondBuildIsACacheHit()
    {
        var first = fixture.Queue8;
        var again = SimFixture.BuildUnit(new ActQueue(SimFixture.QueueConfig(8)));
        output.WriteLine(SimFixture.Describe(first));
        output.WriteLine(SimFixture.Describe(again));
        // FromCache is this build's own record that no tool ran: the process-wide build count
        // would also count builds other test collections run meanwhile.
        Assert.True(again.FromCache);
        Assert.Equal(first.LibraryPath, again.LibraryPath);
        Assert.Equal(first.Key, again.Key);
        Assert.Equal(File.GetLastWriteTimeUtc(first.LibraryPath), File.GetLastWriteTimeUtc(again.LibraryPath));
        Assert.Equal(first.Ports, again.Ports);
        // A different depth is a different key.
        Assert.NotEqual(first.Key, fixture.Queue2.Key);
    }

    [Fact]
    public async Task ColdConcurrentBuildsShareOneEntryAndWidePortsRoundTrip()
    {
        var root = Directory.CreateTempSubdirectory("eiehdl-simcache-").FullName;
        try
        {
            var options = new VerilatedBuildOptions { CacheRoot = root };
            SeedRuntimeObjects(root);
            RtlFile[] sources = [new("wide_reg.v", WideModule)];
            // Two builders race for the same key in an empty cache: the lock lets one build.
            var builds = Enumerable.Range(0, 2)
                .Select(_ => Task.Run(() => VerilatedModelBuilder.Build(sources, "wide_reg", options))).ToArray();
            var results = (await Task.WhenAll(builds)).OrderBy(r => r.FromCache).ToArray();
            foreach (var r in results) output.WriteLine(SimFixture.Describe(r));
            Assert.False(results[0].FromCache);
            Assert.True(results[1].FromCache);
            Assert.Equal(results[0].LibraryPath, results[1].LibraryPath);
            // Exactly one of the two ran the tools: one entry, no leftover build folder, in this private cache.
            Assert.Single(Directory.GetDirectories(root, "wide_reg-*"));
            var warm = VerilatedModelBuilder.Build(sources, "wide_reg", options);
            output.WriteLine(SimFixture.Describe(warm));
            Assert.True(warm.FromCache);
            Assert.Single(Directory.GetDirectories(root, "wide_reg-*"));
            Assert.NotEmpty(Directory.GetDirectories(root, "runtime-*"));
            Assert.Empty(Directory.GetDirectories(root, "*.tmp-*"));
            foreach (var f in new[] { "libwide_reg.so", "shim.cpp", "Vwide_reg.h", "build.log", "src/wide_reg.v" })
                Assert.True(File.Exists(Path.Combine(warm.Folder, f)), f);

            WideRoundTrip(warm);

            // Another design in the same cache links the runtime objects the first build left.
            var other = VerilatedModelBuilder.Build([new("wide_reg.v", WideModule + "// another design\n")], "wide_reg", options);
            output.WriteLine(SimFixture.Describe(other) + " (runtime objects reused)");
            Assert.False(other.FromCache);
            Assert.NotEqual(warm.Key, other.Key);
            Assert.Contains("reused the Verilator runtime objects", File.ReadAllText(Path.Combine(other.Folder, "build.log")));
            WideRoundTrip(other);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ColdBuildReportsEachStepAndACacheHitNone()
    {
        var root = Directory.CreateTempSubdirectory("eiehdl-simcache-").FullName;
        try
        {
            var steps = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var options = new VerilatedBuildOptions { CacheRoot = root, Progress = steps.Enqueue };
            SeedRuntimeObjects(root);
            RtlFile[] sources = [new("wide_reg.v", WideModule + "// progress\n")];
            var cold = VerilatedModelBuilder.Build(sources, "wide_reg", options);
            foreach (var s in steps) output.WriteLine(s);
            Assert.False(cold.FromCache);
            var lines = steps.ToArray();
            Assert.All(lines, l => Assert.Matches(@"^wide_reg: .+ \(\d+ s\)$", l));
            Assert.StartsWith("wide_reg: verilating 1 Verilog files", lines[0]);
            Assert.StartsWith("wide_reg: built", lines[^1]);
            Assert.Contains(lines, l => l.StartsWith("wide_reg: linking libwide_reg.so", StringComparison.Ordinal));
            // Every file make compiles is counted against the announced total, which it reaches
            // exactly (the runtime objects are reused, so not among them).
            var compiled = lines.Where(l => l.Contains(": compiling ", StringComparison.Ordinal) && l.Contains('/')).ToArray();
            var total = int.Parse(System.Text.RegularExpressions.Regex.Match(lines[1], @"compiling (\d+) C\+\+ files").Groups[1].Value);
            Assert.Equal(total, compiled.Length);
            Assert.Contains($"compiling {total}/{total}: ", compiled[^1]);
            Assert.Contains(compiled, l => l.Contains(": shim.o", StringComparison.Ordinal));
            Assert.DoesNotContain(compiled, l => l.Contains(": verilated.o", StringComparison.Ordinal));

            steps.Clear();
            Assert.True(VerilatedModelBuilder.Build(sources, "wide_reg", options).FromCache);
            Assert.Empty(steps);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("g++  -I.  -MMD -O2 -c -o Vtop__Syms.o Vtop__Syms.cpp", "Vtop__Syms.o")]
    [InlineData("g++ -O0 -c -o verilated.o /usr/share/verilator/include/verilated.cpp", "verilated.o")]
    [InlineData("Archive ar -rcs Vtop__ALL.a Vtop.o", null)]
    [InlineData("g++    shim.o verilated.o Vtop__ALL.a -shared -o /c/libtop.so", null)]
    public void MakeLinesNameTheObjectBeingCompiled(string line, string? expected) =>
        Assert.Equal(expected, VerilatedModelBuilder.CompiledObject(line));

    /// <summary>
    /// Copies the compiled Verilator runtime of the shared cache (built by the fixture's models)
    /// into a fresh cache, so that its cold builds skip the runtime's slow compile.
    /// </summary>
    private void SeedRuntimeObjects(string root)
    {
        _ = fixture.Queue8;
        foreach (var dir in Directory.GetDirectories(VerilatedModelBuilder.DefaultCacheRoot, "runtime-*"))
        {
            if (dir.Contains(".tmp-", StringComparison.Ordinal)) continue;
            var target = Directory.CreateDirectory(Path.Combine(root, Path.GetFileName(dir))).FullName;
            foreach (var file in Directory.GetFiles(dir)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }

    private void WideRoundTrip(VerilatedLibrary library)
    {
        using var a = new VerilatedModel(library);
        using var b = new VerilatedModel(library);
        int clk = a.Port("clk_i"), d = a.Port("d_i"), q = a.Port("q_o"), n = a.Port("n_i"), nOut = a.Port("n_o"),
            parity = a.Port("parity_o");
        Assert.Equal(100, a.Ports[d].Width);
        Assert.True(a.Ports[d].IsWide);
        Assert.Equal(PortDirection.Output, a.Ports[q].Direction);
        Assert.Equal(41, a.Ports[n].Width);
        Assert.Throws<ArgumentException>(() => a.Set(d, 1UL));
        Assert.Throws<ArgumentException>(() => a.Get(q));
        Assert.Throws<ArgumentException>(() => a.Set(q, [1u]));
        Assert.Throws<KeyNotFoundException>(() => a.Port("nope"));

        var rng = new Random(100);
        var sent = new uint[4];
        var got = new uint[5];
        for (int i = 0; i < 200; i++)
        {
            for (int w = 0; w < 4; w++) sent[w] = (uint)rng.NextInt64(0, 1L << 32);
            a.Set(d, sent); // bits 100..127 are set here and must be dropped
            b.Set(d, [0x1234u]); // missing words are zero
            ulong narrow = (ulong)rng.NextInt64();
            a.Set(n, narrow);
            a.Tick(clk);
            b.Tick(clk);
            a.Get(q, got);
            var expected = new[] { sent[0], sent[1], sent[2], sent[3] & 0xFu, 0u };
            Assert.Equal(expected, got);
            Assert.Equal((ulong)System.Numerics.BitOperations.PopCount(sent[0]) + (ulong)System.Numerics.BitOperations.PopCount(sent[1])
                + (ulong)System.Numerics.BitOperations.PopCount(sent[2]) + (ulong)System.Numerics.BitOperations.PopCount(sent[3] & 0xF) & 1,
                a.Get(parity));
            Assert.Equal(~narrow & ((1UL << 41) - 1), a.Get(nOut));
            b.Get(q, got.AsSpan(0, 4));
            Assert.Equal(new[] { 0x1234u, 0u, 0u, 0u }, got[..4]);
            // Narrow ports through the word calls.
            var nWords = new uint[2];
            a.Get(nOut, nWords);
            Assert.Equal(~narrow & ((1UL << 41) - 1), nWords[0] | (ulong)nWords[1] << 32);
        }
    }

    [Fact]
    public void TraceBuildWritesAnFstFile()
    {
        var library = fixture.Queue8Trace;
        output.WriteLine(SimFixture.Describe(library));
        Assert.NotEqual(fixture.Queue8.Key, library.Key);
        var path = Path.Combine(Path.GetTempPath(), $"eiehdl-act-queue-{Guid.NewGuid():N}.fst");
        try
        {
            using (var model = new VerilatedModel(library))
            {
                Assert.True(model.CanTrace);
                var ports = new ActQueueNativeTests.QueuePorts(model);
                var queue = new ActQueue(SimFixture.QueueConfig(8));
                model.OpenTrace(path);
                ports.Reset(model);
                var rng = new Random(5);
                for (int cycle = 0; cycle < 500; cycle++)
                {
                    var inputs = ActQueueNativeTests.RandomInputs(rng, queue.Params, cycle);
                    ActQueueNativeTests.AssertSame(queue.Step(inputs), ports.Cycle(model, inputs), cycle, "traced");
                }
                model.CloseTrace();
            }
            var info = new FileInfo(path);
            output.WriteLine($"{path}: {info.Length} bytes");
            Assert.True(info.Exists && info.Length > 100, "no FST written");
            using var untraced = new VerilatedModel(fixture.Queue8);
            Assert.False(untraced.CanTrace);
            Assert.Throws<InvalidOperationException>(() => untraced.OpenTrace(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SyntaxErrorQuotesVerilator()
    {
        var root = Directory.CreateTempSubdirectory("eiehdl-simcache-").FullName;
        try
        {
            RtlFile[] sources = [new("broken.v", "module broken (input wire a_i, output wire b_o);\n  assign b_o = a_i\nendmodule\n")];
            var e = Assert.Throws<VerilatorBuildException>(() =>
                VerilatedModelBuilder.Build(sources, "broken", new VerilatedBuildOptions { CacheRoot = root }));
            output.WriteLine(e.Message);
            Assert.Contains("%Error", e.Message);
            Assert.Contains("broken.v:3", e.Message);
            Assert.Contains("syntax error", e.Message);
            Assert.Empty(Directory.GetDirectories(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void MissingVerilatorNamesThePackage()
    {
        var e = Assert.Throws<InvalidOperationException>(() => VerilatedModelBuilder.Build(
            [new RtlFile("x.v", "module x; endmodule\n")], "x",
            new VerilatedBuildOptions { Verilator = "verilator-not-installed-here" }));
        Assert.Contains("apt-get install -y --no-install-recommends verilator", e.Message);
    }

    [Fact]
    public void HeaderPortLinesParse()
    {
        var ports = VerilatedHeader.ParsePorts("""
              // Ports
              VL_IN8(&clk_i,0,0);
              VL_OUT16(&x_o,15,0);
              VL_IN(&m_i,31,0);
              VL_INOUT64(&b_io,40,0);
              VL_INW(&w_i,127,0,4);
              VL_OUTW(&w_o,99,0,4);
            """);
        Assert.Equal(
            [new VerilatedPort(0, "clk_i", PortDirection.Input, 1, "CData"),
             new VerilatedPort(1, "x_o", PortDirection.Output, 16, "SData"),
             new VerilatedPort(2, "m_i", PortDirection.Input, 32, "IData"),
             new VerilatedPort(3, "b_io", PortDirection.InOut, 41, "QData"),
             new VerilatedPort(4, "w_i", PortDirection.Input, 128, "VlWide"),
             new VerilatedPort(5, "w_o", PortDirection.Output, 100, "VlWide")],
            ports);
        Assert.Throws<FormatException>(() => VerilatedHeader.ParsePorts("class Vx { };"));
        Assert.Throws<FormatException>(() => VerilatedHeader.ParsePorts("VL_IN8(&a,15,0);"));
    }
}
