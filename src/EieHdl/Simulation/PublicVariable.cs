using System.Runtime.InteropServices;

namespace EieHdl.Simulation;

/// <summary>
/// A variable of a Verilated model that the build made public, read and written in place: the
/// back door for loading memories without clocking every word through the design's ports.
/// Write only between clock cycles, as a testbench would with <c>$readmemh</c>; the variable's
/// <c>public_flat_rw @(edge)</c> declaration tells Verilator that it may change at that edge.
/// </summary>
public sealed class PublicVariable
{
    private readonly VerilatedModel _owner;
    private readonly nint _data;

    internal PublicVariable(VerilatedModel owner, string name, nint data, int width, int depth, int elementBytes)
    {
        _owner = owner;
        _data = data;
        Name = name;
        Width = width;
        Depth = depth;
        ElementBytes = elementBytes;
    }

    /// <summary>Flat name, e.g. <c>TOP.eie_top.g_pe[0].u_pe.u_spmat_read.u_spmat.mem_q</c>.</summary>
    public string Name { get; }

    /// <summary>Bits of one element.</summary>
    public int Width { get; }

    /// <summary>Elements (1 for a plain variable).</summary>
    public int Depth { get; }

    /// <summary>Storage bytes of one element (1, 2, 4 or 8; wider elements are not supported).</summary>
    public int ElementBytes { get; }

    public override string ToString() => $"{Name} [{Depth} x {Width} bits]";

    /// <summary>Element <paramref name="index"/>.</summary>
    public ulong Read(int index)
    {
        var at = Address(index);
        return ElementBytes switch
        {
            1 => Marshal.ReadByte(at),
            2 => (ushort)Marshal.ReadInt16(at),
            4 => (uint)Marshal.ReadInt32(at),
            _ => (ulong)Marshal.ReadInt64(at),
        };
    }

    /// <summary>Sets element <paramref name="index"/>; bits above <see cref="Width"/> must be zero, since Verilator relies on clean upper bits.</summary>
    public void Write(int index, ulong value)
    {
        if (Width < 64 && value >> Width != 0)
            throw new ArgumentOutOfRangeException(nameof(value), $"{Name}[{index}]: 0x{value:X} does not fit {Width} bits");
        var at = Address(index);
        switch (ElementBytes)
        {
            case 1: Marshal.WriteByte(at, (byte)value); break;
            case 2: Marshal.WriteInt16(at, (short)value); break;
            case 4: Marshal.WriteInt32(at, (int)value); break;
            default: Marshal.WriteInt64(at, (long)value); break;
        }
    }

    /// <summary>Writes <paramref name="values"/> from element 0 on and zeroes the rest, as a fresh <c>$readmemh</c> of a short file would leave it.</summary>
    public void Fill(ReadOnlySpan<ulong> values)
    {
        if (values.Length > Depth)
            throw new ArgumentException($"{Name}: {values.Length} values do not fit its {Depth} elements", nameof(values));
        for (int i = 0; i < Depth; i++) Write(i, i < values.Length ? values[i] : 0);
    }

    private nint Address(int index)
    {
        if (_data == 0) throw new InvalidOperationException($"{Name} has no storage");
        // A disposed model's storage is freed; never touch it through a stale pointer.
        if (_owner.IsDisposed) throw new ObjectDisposedException(nameof(VerilatedModel));
        if ((uint)index >= (uint)Depth) throw new ArgumentOutOfRangeException(nameof(index), $"{Name}: index {index} is outside 0..{Depth - 1}");
        if (ElementBytes is not (1 or 2 or 4 or 8))
            throw new NotSupportedException($"{Name}: elements of {ElementBytes} bytes ({Width} bits) are not supported by the back door");
        return _data + (nint)index * ElementBytes;
    }
}
