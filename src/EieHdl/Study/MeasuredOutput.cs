namespace EieHdl.Study;

/// <summary>The measured files: Table IV / Fig. 6 on this machine and the break-even sweep's CPU times.</summary>
public static class MeasuredOutput
{
    public static void Write(string dir, StudyResult r, MeasuredResults m, Action<string, Figure> draw)
    {
        var table = new Csv(["layer", "dense_us", "dense_all_cores_us", "csr_us", "sparse_sparse_us", "golden_us", "eie_cycles", "eie_us_at_800mhz",
            "speedup_dense_all_cores", "speedup_csr", "speedup_sparse_sparse", "speedup_golden", "speedup_eie", "eie_over_cpu_sparse",
            "paper_cpu_sparse_us", "paper_gpu_sparse_us", "paper_eie_actual_us", "paper_eie_over_cpu_sparse", "repetitions_dense",
            .. r.FpgaMhz is null ? Array.Empty<string>() : ["fpga_mhz", "eie_us_at_fpga_mhz", "speedup_eie_at_fpga_mhz"]]);
        foreach (var l in m.Layers)
            table.Row([l.Layer, l.Dense.MedianUs, l.DenseAllCores.MedianUs, l.Csr.MedianUs, l.SparseSparse.MedianUs, l.Golden.MedianUs, l.EieCycles, l.EieUs,
                l.SpeedUp(l.DenseAllCores), l.SpeedUp(l.Csr), l.SpeedUp(l.SparseSparse), l.SpeedUp(l.Golden), l.EieSpeedUp, l.EieOverCpuSparse,
                l.PaperCpuSparseUs, l.PaperGpuSparseUs, l.PaperEieActualUs, l.PaperEieOverCpuSparse, l.Dense.Repetitions,
                .. r.FpgaMhz is double f ? new object?[] { f, StudyMetrics.Microseconds(l.EieCycles, f), l.EieSpeedUpAt(f) } : []]);
        StudyOutput.Text(dir, "table4-cpu.csv", table.ToString());

        var be = new Csv("sparsity", "dense_us", "csr_us", "sparse_sparse_us", "eie_cycles", "eie_us_at_800mhz");
        for (int k = 0; k < m.BreakEven.Count; k++)
        {
            var p = m.BreakEven[k];
            be.Row(p.Sparsity, p.Dense.MedianUs, p.Csr.MedianUs, p.SparseSparse.MedianUs, r.BreakEvenEie[k].Cycles, r.BreakEvenEie[k].Us);
        }
        StudyOutput.Text(dir, "breakeven-cpu.csv", be.ToString());
        StudyOutput.Text(dir, "timings.json", StudyOutput.Serialize(new { m, seconds = r.Seconds }));

        var names = m.Layers.Select(l => l.Name).ToArray();
        double[] Idx() => Enumerable.Range(0, names.Length).Select(k => (double)k).ToArray();
        draw(Path.Combine(dir, "fig6-speedup.png"), new LineFigure("Fig. 6 on this machine: speed-up over dense float32, one thread",
            "layer", "speed-up over dense (log)",
            [
                new("dense, all cores", Idx(), m.Layers.Select(l => l.SpeedUp(l.DenseAllCores)).ToArray(), MarkersOnly: true),
                new("CSR", Idx(), m.Layers.Select(l => l.SpeedUp(l.Csr)).ToArray(), MarkersOnly: true),
                new("sparse x sparse", Idx(), m.Layers.Select(l => l.SpeedUp(l.SparseSparse)).ToArray(), MarkersOnly: true),
                new("golden model", Idx(), m.Layers.Select(l => l.SpeedUp(l.Golden)).ToArray(), MarkersOnly: true),
                new($"EIE model, {r.Sweeps.BasePes} PEs at 800 MHz", Idx(), m.Layers.Select(l => l.EieSpeedUp).ToArray(), MarkersOnly: true),
            ], Log10Y: true, XTickLabels: names));
        var s = m.BreakEven.Select(p => 100 * p.Sparsity).ToArray();
        draw(Path.Combine(dir, "breakeven.png"), new LineFigure($"Break-even: {r.Plan.BreakEvenLayer.Name} layer, one thread, vs weight sparsity",
            "weight sparsity (%)", "time (us, log)",
            [
                new("dense float32", s, m.BreakEven.Select(p => p.Dense.MedianUs).ToArray()),
                new("CSR", s, m.BreakEven.Select(p => p.Csr.MedianUs).ToArray()),
                new("sparse x sparse", s, m.BreakEven.Select(p => p.SparseSparse.MedianUs).ToArray()),
                new($"EIE model, {r.Sweeps.BasePes} PEs at 800 MHz", s, r.BreakEvenEie.Select(p => p.Us).ToArray()),
            ], Log10Y: true));
    }
}
