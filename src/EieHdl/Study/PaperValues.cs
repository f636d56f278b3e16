namespace EieHdl.Study;

/// <summary>
/// The paper's published CPU and GPU times for the nine layers ([P] Table IV: CPU sparse on a
/// Core i7-5930K, GPU sparse on a Titan X, batch 1, µs), shown beside ours as published.
/// EIE's own times are in <see cref="Workloads.BenchmarkLayer"/>.
/// </summary>
public static class PaperValues
{
    public sealed record Row(double CpuSparseUs, double GpuSparseUs);

    private static readonly Dictionary<string, Row> Rows = new()
    {
        ["alex6"] = new(3066.5, 134.8),
        ["alex7"] = new(1282.1, 65.8),
        ["alex8"] = new(890.5, 54.6),
        ["vgg6"] = new(3774.3, 167.0),
        ["vgg7"] = new(545.1, 39.8),
        ["vgg8"] = new(777.3, 48.0),
        ["nt-we"] = new(261.2, 17.7),
        ["nt-wd"] = new(437.4, 41.1),
        ["nt-lstm"] = new(260.0, 18.5),
    };

    public static Row? Get(string key) => Rows.GetValueOrDefault(key);
}
