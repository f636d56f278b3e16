using System.Numerics.Tensors;

namespace EieHdl.Study;

/// <summary>
/// One layer in the three forms a CPU runs it in, float32, with the bias as a last column
/// whose input is 1 (as EIE stores it): dense row-major, CSR (rows), and CSC (columns, for the
/// product over the non-zero inputs only). Values are the layer's shared weights.
/// </summary>
public sealed class CpuLayer
{
    public int Rows { get; }
    public int Columns { get; }
    public int[] RowPtr { get; }
    public int[] RowColumns { get; }
    public float[] RowValues { get; }
    public int[] ColPtr { get; }
    public int[] ColRows { get; }
    public float[] ColValues { get; }

    private CpuLayer(int rows, int columns, int[] rowPtr, int[] rowColumns, float[] rowValues, int[] colPtr, int[] colRows, float[] colValues)
    {
        Rows = rows; Columns = columns;
        RowPtr = rowPtr; RowColumns = rowColumns; RowValues = rowValues;
        ColPtr = colPtr; ColRows = colRows; ColValues = colValues;
    }

    /// <param name="indices">Row-major rows x columns codebook indices, 0 = no weight.</param>
    public static CpuLayer FromIndices(ReadOnlySpan<byte> indices, int rows, int columns, IReadOnlyList<double> codebook)
    {
        if (indices.Length != (long)rows * columns)
            throw new ArgumentException($"index matrix has {indices.Length} elements, expected {rows} x {columns}");
        var rowPtr = new int[rows + 1];
        var colCount = new int[columns + 1];
        for (int r = 0; r < rows; r++)
        {
            var row = indices.Slice(r * columns, columns);
            int count = 0;
            for (int c = 0; c < columns; c++)
                if (row[c] != 0) { count++; colCount[c + 1]++; }
            rowPtr[r + 1] = rowPtr[r] + count;
        }
        int nnz = rowPtr[rows];
        var rowColumns = new int[nnz];
        var rowValues = new float[nnz];
        var colPtr = new int[columns + 1];
        for (int c = 0; c < columns; c++) colPtr[c + 1] = colPtr[c] + colCount[c + 1];
        var fill = colPtr[..columns];
        var colRows = new int[nnz];
        var colValues = new float[nnz];
        for (int r = 0, k = 0; r < rows; r++)
        {
            var row = indices.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                if (row[c] == 0) continue;
                float v = (float)codebook[row[c]];
                rowColumns[k] = c;
                rowValues[k++] = v;
                colRows[fill[c]] = r;
                colValues[fill[c]++] = v;
            }
        }
        return new CpuLayer(rows, columns, rowPtr, rowColumns, rowValues, colPtr, colRows, colValues);
    }

    /// <summary>The dense row-major matrix (zeros where no weight is stored).</summary>
    public float[] Dense()
    {
        var dense = new float[(long)Rows * Columns];
        for (int r = 0; r < Rows; r++)
            for (int k = RowPtr[r]; k < RowPtr[r + 1]; k++) dense[(long)r * Columns + RowColumns[k]] = RowValues[k];
        return dense;
    }
}

/// <summary>
/// The CPU baselines, float32: dense matrix-vector product through System.Numerics.Tensors'
/// vectorised dot product (one row per call; one thread, or the rows split over threads), CSR
/// sparse matrix-vector product, and sparse-times-sparse: the CSC columns of the non-zero
/// inputs only (what EIE's paper calls CPU sparse; finding the non-zero inputs is part of it).
/// </summary>
public static class CpuKernels
{
    public static void Dense(ReadOnlySpan<float> a, int columns, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int r = 0; r < y.Length; r++) y[r] = TensorPrimitives.Dot(a.Slice(r * columns, columns), x);
    }

    /// <summary>The rows split into <paramref name="threads"/> contiguous blocks, one per thread.</summary>
    public static void DenseParallel(float[] a, int columns, float[] x, float[] y, int threads) =>
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int lo = (int)((long)y.Length * t / threads), hi = (int)((long)y.Length * (t + 1) / threads);
            Dense(a.AsSpan(lo * columns, (hi - lo) * columns), columns, x, y.AsSpan(lo, hi - lo));
        });

    public static void Csr(CpuLayer m, ReadOnlySpan<float> x, Span<float> y)
    {
        var ptr = m.RowPtr; var cols = m.RowColumns; var vals = m.RowValues;
        for (int r = 0; r < m.Rows; r++)
        {
            float sum = 0;
            for (int k = ptr[r]; k < ptr[r + 1]; k++) sum += vals[k] * x[cols[k]];
            y[r] = sum;
        }
    }

    /// <param name="nonZero">Scratch of at least Columns entries for the non-zero inputs' positions.</param>
    public static void SparseSparse(CpuLayer m, ReadOnlySpan<float> x, Span<float> y, Span<int> nonZero)
    {
        int count = 0;
        for (int c = 0; c < x.Length; c++)
            if (x[c] != 0) nonZero[count++] = c;
        y.Clear();
        var ptr = m.ColPtr; var rows = m.ColRows; var vals = m.ColValues;
        for (int k = 0; k < count; k++)
        {
            int c = nonZero[k];
            float xc = x[c];
            for (int p = ptr[c]; p < ptr[c + 1]; p++) y[rows[p]] += vals[p] * xc;
        }
    }
}
