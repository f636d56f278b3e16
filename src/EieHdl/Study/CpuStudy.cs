using System.Diagnostics;
using EieHdl.Config;
using EieHdl.Golden;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace EieHdl.Study;

/// <summary>A kernel's measured time: the median of its repetitions and how many there were.</summary>
public sealed record Timing(double MedianUs, double MinUs, int Repetitions);

/// <summary>Table IV / Fig. 6 on this machine for one layer; speed-ups are dense single-thread time over each.</summary>
public sealed record CpuLayerTime(
    string Layer, string Name, Timing Dense, Timing DenseAllCores, Timing Csr, Timing SparseSparse, Timing Golden,
    long EieCycles, double EieUs, double PaperCpuSparseUs, double PaperGpuSparseUs, double PaperEieActualUs)
{
    public double SpeedUp(Timing t) => Dense.MedianUs / t.MedianUs;
    public double EieSpeedUp => Dense.MedianUs / EieUs;
    /// <summary>EIE's speed-up over dense with the same cycles at another clock (the --fpga-mhz one).</summary>
    public double EieSpeedUpAt(double clockMhz) => Dense.MedianUs / StudyMetrics.Microseconds(EieCycles, clockMhz);
    /// <summary>EIE over the CPU's sparse-times-sparse here, beside the paper's EIE over its i7's sparse time.</summary>
    public double EieOverCpuSparse => SparseSparse.MedianUs / EieUs;
    public double PaperEieOverCpuSparse => PaperCpuSparseUs / PaperEieActualUs;
}

/// <summary>The break-even layer on the CPU at one weight sparsity.</summary>
public sealed record BreakEvenCpuPoint(double Sparsity, Timing Dense, Timing Csr, Timing SparseSparse);

/// <summary>Everything measured on this machine; nothing here is reproducible to the bit, so it is written apart.</summary>
/// <param name="Provider">MathNet's linear-algebra provider that loaded (OpenBLAS or managed) and why.</param>
/// <param name="MathNetDense">MathNet's dense float32 product on the break-even layer's shape, single thread, for comparison with the dense baseline.</param>
/// <param name="BreakEvenCsr">Sparsity at which CSR becomes as fast as dense (interpolated), null if it never does in the sweep.</param>
public sealed record MeasuredResults(
    string Machine, int Threads, string Provider, Timing MathNetDense, Timing TensorsDenseSameShape,
    IReadOnlyList<CpuLayerTime> Layers, IReadOnlyList<BreakEvenCpuPoint> BreakEven,
    double? BreakEvenCsr, double? BreakEvenSparseSparse);

/// <summary>
/// Times the CPU baselines, one kernel at a time with nothing else running in the process:
/// each kernel once to warm up, then repeated for at least the plan's repetitions and seconds;
/// the median is reported.
/// </summary>
public static class CpuStudy
{
    public static MeasuredResults Measure(EieConfig config, StudyPlan plan, IReadOnlyList<StudyLayer> layers,
        IReadOnlyList<StudyLayer> breakEven, Action<string> log)
    {
        int threads = Environment.ProcessorCount;
        // Other jobs on the machine slow every kernel; the report says how busy it was.
        string? load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;
        var rows = new List<CpuLayerTime>();
        foreach (var layer in layers)
        {
            log($"cpu {layer.Spec.Key}: dense (1 and {threads} threads), CSR, sparse x sparse, golden model");
            var m = CpuLayer.FromIndices(layer.Indices, layer.Spec.Outputs, layer.Columns, layer.CodebookFloat);
            var x = FloatInput(layer);
            var (dense, csr, sparse) = TimeKernels(plan, m, x);
            var y = new float[m.Rows];
            var a = m.Dense();
            var denseAll = Time(plan, () => CpuKernels.DenseParallel(a, m.Columns, x, y, threads));
            a = null;
            var image = layer.Image(config, layer.Encode(config, config.Pes, balanced: false), config.ActQueueDepth);
            var golden = new GoldenModel(image);
            var outputs = new int[layer.Spec.Outputs];
            var goldenTime = Time(plan, () => golden.RunLayer(0, layer.Input, outputs));
            long cycles = PointResult.Of(image, layer.Input).Cycles;
            var paper = PaperValues.Get(layer.Spec.Key);
            rows.Add(new CpuLayerTime(layer.Spec.Key, layer.Spec.Name, dense, denseAll, csr, sparse, goldenTime,
                cycles, StudyMetrics.Microseconds(cycles, StudyPlan.ClockMhz),
                paper?.CpuSparseUs ?? double.NaN, paper?.GpuSparseUs ?? double.NaN, layer.Spec.PaperActualUs));
        }

        var points = new List<BreakEvenCpuPoint>();
        for (int k = 0; k < breakEven.Count; k++)
        {
            log($"cpu break-even: sparsity {plan.Sparsities[k]:P1}");
            var layer = breakEven[k];
            var m = CpuLayer.FromIndices(layer.Indices, layer.Spec.Outputs, layer.Columns, layer.CodebookFloat);
            var (dense, csr, sparse) = TimeKernels(plan, m, FloatInput(layer));
            points.Add(new BreakEvenCpuPoint(plan.Sparsities[k], dense, csr, sparse));
        }
        var s = points.Select(p => p.Sparsity).ToArray();
        // Dense does the same work at every sparsity: the median over the sweep is its one
        // time, which keeps a noisy point from moving the crossing.
        double denseMedian = StudyMetrics.Median(points.Select(p => p.Dense.MedianUs).ToArray());
        var denseUs = points.Select(_ => denseMedian).ToArray();

        log("cpu: MathNet dense on the break-even layer's shape");
        var (provider, mathNet) = MathNetDense(plan, breakEven[0]);
        return new MeasuredResults(
            $"{Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}{LoadAverage(load)}",
            threads, provider, mathNet, points[0].Dense, rows, points,
            StudyMetrics.Crossing(s, points.Select(p => p.Csr.MedianUs).ToArray(), denseUs),
            StudyMetrics.Crossing(s, points.Select(p => p.SparseSparse.MedianUs).ToArray(), denseUs));
    }

    private static string LoadAverage(string? atStart)
    {
        string? atEnd = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;
        return atStart is null || atEnd is null ? "" : $", load average {atStart} at the start of the measurements and {atEnd} at their end";
    }

    /// <summary>The layer's float input with the bias column's constant 1 appended.</summary>
    private static float[] FloatInput(StudyLayer layer) => [.. layer.FloatInput.Select(v => (float)v), 1f];

    private static (Timing Dense, Timing Csr, Timing SparseSparse) TimeKernels(StudyPlan plan, CpuLayer m, float[] x)
    {
        var y = new float[m.Rows];
        var scratch = new int[m.Columns];
        var csr = Time(plan, () => CpuKernels.Csr(m, x, y));
        var sparse = Time(plan, () => CpuKernels.SparseSparse(m, x, y, scratch));
        var a = m.Dense();
        var dense = Time(plan, () => CpuKernels.Dense(a, m.Columns, x, y));
        return (dense, csr, sparse);
    }

    public static Timing Time(StudyPlan plan, Action kernel) => Time(kernel, plan.MinRepetitions, plan.MinSeconds);

    public static Timing Time(Action kernel, int minRepetitions, double minSeconds)
    {
        kernel();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        var one = new Stopwatch();
        while (times.Count < minRepetitions || (total.Elapsed.TotalSeconds < minSeconds && times.Count < 10000))
        {
            one.Restart();
            kernel();
            times.Add(one.Elapsed.TotalMicroseconds);
        }
        return new Timing(StudyMetrics.Median(times), times.Min(), times.Count);
    }

    /// <summary>
    /// MathNet's dense product, single thread, with its OpenBLAS provider if that loads and its
    /// managed provider otherwise; the provider and the reason go into the report.
    /// </summary>
    private static (string Provider, Timing Time) MathNetDense(StudyPlan plan, StudyLayer layer)
    {
        string provider;
        try
        {
            Control.UseNativeOpenBLAS();
            provider = "MathNet.Numerics 5.0.0, OpenBLAS provider";
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            Control.UseManaged();
            provider = $"MathNet.Numerics 5.0.0, managed provider (the OpenBLAS provider did not load: {e.Message.Split('\n')[0].Trim()})";
        }
        Control.UseSingleThread();
        var m = CpuLayer.FromIndices(layer.Indices, layer.Spec.Outputs, layer.Columns, layer.CodebookFloat);
        var matrix = Matrix<float>.Build.Dense(m.Rows, m.Columns);
        for (int r = 0; r < m.Rows; r++)
            for (int k = m.RowPtr[r]; k < m.RowPtr[r + 1]; k++) matrix[r, m.RowColumns[k]] = m.RowValues[k];
        var x = Vector<float>.Build.DenseOfArray(FloatInput(layer));
        var y = Vector<float>.Build.Dense(m.Rows);
        var time = Time(() => matrix.Multiply(x, y), Math.Min(plan.MinRepetitions, 3), 0);
        Control.UseMultiThreading();
        return (provider, time);
    }
}
