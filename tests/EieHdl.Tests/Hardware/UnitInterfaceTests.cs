using System.Reflection;
using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Tests.Hardware;

/// <summary>
/// The units' port data against the other places a port is named: the behavioural models'
/// per-cycle Inputs and Outputs records carry exactly the module's ports (clock and reset
/// aside), and every port name says its direction.
/// </summary>
public sealed class UnitInterfaceTests
{
    private static readonly EieConfig Config = new();

    public static TheoryData<string> Models => new(ModelRecords.Keys);

    /// <summary>Each unit with a cycle model, its Inputs and Outputs records, and the ports its model does not take as inputs.</summary>
    private static readonly Dictionary<string, (HardwareUnit Unit, Type Inputs, Type Outputs, string[] NotModelled)> ModelRecords = new()
    {
        ["act_queue"] = (new ActQueue(Config), typeof(ActQueueInputs), typeof(ActQueueOutputs), []),
        ["ptr_read"] = (new PtrRead(Config), typeof(PtrReadInputs), typeof(PtrReadOutputs), []),
        ["spmat_read"] = (new SpmatRead(Config), typeof(SpmatReadInputs), typeof(SpmatReadOutputs), []),
        ["arith_unit"] = (new ArithUnit(Config), typeof(ArithInputs), typeof(ArithOutputs), []),
        // pe_i is the model's constructor argument, constant like the port.
        ["act_rw"] = (new ActRw(Config, 0), typeof(ActRwInputs), typeof(ActRwOutputs), ["pe_i"]),
        ["ccu"] = (new Ccu(Config), typeof(CcuInputs), typeof(CcuOutputs), []),
    };

    /// <summary>push_valid_i -> PushValid.</summary>
    private static string MemberName(string port) => string.Concat(
        port.Split('_').SkipLast(1).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static string[] Members(Type record) => record
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [MemberData(nameof(Models))]
    public void TheModelsInputAndOutputRecordsCarryTheModulesPorts(string name)
    {
        var (unit, inputs, outputs, notModelled) = ModelRecords[name];
        var ports = unit.Ports.Where(p => p.Name is not ("clk_i" or "rst_ni") && !notModelled.Contains(p.Name)).ToArray();
        string[] Expected(PortDir d) => ports.Where(p => p.Direction == d).Select(p => MemberName(p.Name))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Expected(PortDir.In), Members(inputs));
        Assert.Equal(Expected(PortDir.Out), Members(outputs));
    }

    [Fact]
    public void EveryPortNameSaysItsDirectionAndEveryUnitHasALatency()
    {
        var units = RtlGenerator.DependencyOrder(RtlGenerator.Units(Config));
        foreach (var unit in units)
        {
            Assert.NotEmpty(unit.Latencies);
            Assert.Equal(unit.Ports.Count, unit.Ports.Select(p => p.Name).Distinct().Count());
            foreach (var port in unit.Ports)
                Assert.True(port.Direction == PortDir.In ? port.Name.EndsWith("_i", StringComparison.Ordinal) || port.Name.EndsWith("_ni", StringComparison.Ordinal)
                    : port.Name.EndsWith("_o", StringComparison.Ordinal), $"{unit.ModuleName}.{port.Name}: {port.Direction}");
        }
    }
}
