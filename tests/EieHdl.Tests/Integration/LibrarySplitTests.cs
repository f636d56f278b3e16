using System.Reflection;
using System.Xml.Linq;
using EieHdl.Config;
using EieHdl.Host;
using EieHdl.Plots;
using EieHdl.Tests.Fpga;

namespace EieHdl.Tests.Integration;

/// <summary>
/// The core library (EieHdl.Core) can be referenced without the plotting and serial-port
/// packages: they are referenced only by EieHdl.Plots and EieHdl.Serial.
/// </summary>
public class LibrarySplitTests
{
    private static readonly string[] Kept = ["ScottPlot", "System.IO.Ports"];

    private static string[] References(Assembly a) => a.GetReferencedAssemblies().Select(n => n.Name!).ToArray();

    private static string[] PackageReferences(string project) =>
        XDocument.Load(Path.Combine(FpgaTestConfigs.RepoRoot, "src", project, project + ".csproj"))
            .Descendants("PackageReference").Select(e => (string)e.Attribute("Include")!).ToArray();

    [Fact]
    public void TheCoreAssemblyReferencesNeitherScottPlotNorSystemIoPorts()
    {
        var core = typeof(EieConfig).Assembly;
        Assert.Equal("EieHdl.Core", core.GetName().Name);
        Assert.Empty(References(core).Intersect(Kept));
        Assert.Empty(PackageReferences("EieHdl").Intersect(Kept));
    }

    [Fact]
    public void ThePlotsAndSerialAssembliesHoldThem()
    {
        Assert.Contains("ScottPlot", References(typeof(StudyPlots).Assembly));
        Assert.Contains("System.IO.Ports", References(typeof(SerialPortLink).Assembly));
        Assert.Equal(["ScottPlot"], PackageReferences("EieHdl.Plots"));
        Assert.Equal(["System.IO.Ports"], PackageReferences("EieHdl.Serial"));
    }
}
