namespace EieHdl.Hardware;

/// <summary>
/// One Verilog module of the EIE datapath: its name, the template that emits it, the model
/// object that template reads, and the documentation that heads the module. A unit reads its
/// own parameters from the <see cref="Config.EieConfig"/> in its constructor; the template
/// only prints what the unit computed, so every width and literal is decided in C#.
/// </summary>
public abstract class HardwareUnit
{
    /// <summary>Verilog module name, <c>eie_</c> prefixed; also the file name stem.</summary>
    public abstract string ModuleName { get; }

    /// <summary>Embedded template file name; by convention the module name plus <c>.v.sbn</c>.</summary>
    public virtual string TemplateName => ModuleName + ".v.sbn";

    /// <summary>What the template reads as <c>unit</c> (Scriban sees snake_case member names).</summary>
    public abstract object TemplateModel { get; }

    /// <summary>
    /// What the unit does, in plain text lines of at most 96 characters; the module's header
    /// comment is this text followed by the port and latency lines printed from
    /// <see cref="Ports"/> and <see cref="Latencies"/>.
    /// </summary>
    public abstract string Doc { get; }

    /// <summary>The module's ports in declaration order; the module head is printed from them.</summary>
    public abstract IReadOnlyList<Port> Ports { get; }

    /// <summary>The module's Verilog parameters with their defaults (most modules have none).</summary>
    public virtual IReadOnlyList<ModuleParameter> Parameters => [];

    /// <summary>The unit's latencies, port to port.</summary>
    public abstract IReadOnlyList<Latency> Latencies { get; }

    /// <summary>A remark on how the ports are read, printed in parentheses after "Ports".</summary>
    public virtual string PortNote => "";

    /// <summary>Timing prose that the latency records do not say (throughput, hazards), after them.</summary>
    public virtual string LatencyNote => "";

    /// <summary>Modules this one instantiates; they come before it in the file list.</summary>
    public virtual IReadOnlyList<HardwareUnit> Submodules => [];
}
