using WidthPoint = EieHdl.Energy.SweepPoint;

namespace EieHdl.Study;

/// <summary>
/// A figure of the study as data: what to draw, not how. The study's writers hand each figure
/// and its file to a drawing function (EieHdl.Plots draws them as PNG), so the core library
/// needs no plotting library.
/// </summary>
public abstract record Figure;

/// <summary>A curve to draw: X and Y, its legend label, and whether it is drawn dashed (a second row assignment) or as markers only.</summary>
public sealed record FigureLine(string Label, double[] X, double[] Y, bool Dashed = false, bool MarkersOnly = false);

/// <summary>A line plot: one line per series.</summary>
/// <param name="Log2X">X values are powers of two: plot log2 x with ticks 1, 2, 4, ...</param>
/// <param name="Log10Y">Plot log10 y with ticks at the powers of ten.</param>
/// <param name="XTickLabels">Category labels for x = 0, 1, 2, ... instead of numbers.</param>
public sealed record LineFigure(string Title, string XLabel, string YLabel, IReadOnlyList<FigureLine> Lines,
    bool Log2X = false, bool Log10Y = false, (double Min, double Max)? YRange = null, IReadOnlyList<string>? XTickLabels = null) : Figure;

/// <summary>EIE's Figure 9: energy against the spmat SRAM word width.</summary>
public sealed record SpmatWidthFigure(IReadOnlyList<WidthPoint> Points) : Figure;
