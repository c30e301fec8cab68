package org.jgrad.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM on the Vector API, in the BLIS/GotoBLAS scheme. C is cut into chunks of at most MB
 * rows that run in parallel. Within a chunk, K is cut into blocks of KC; for each block the
 * chunk's rows of A are packed into slivers of MR rows, then, sliver by sliver, NR columns of B
 * are packed and a register-tiled micro-kernel computes the MR × NR tiles of that column
 * sliver, one A sliver after another.
 *
 * <p>Block sizes for this machine kind (Zen 5: 32 vector registers, L1d 48 KiB, L2 1 MiB):
 * <ul>
 * <li>MR × NR = 8 rows × 2 vectors: 16 accumulators, two B vectors and one broadcast use 19 of
 *     the 32 registers; 16 independent FMA chains cover latency × FMA pipes, and each step does
 *     16 FMAs for 2 vector loads and 8 broadcasts. NR follows the species, so the same code runs
 *     on 128-, 256- and 512-bit vectors. A 12-row tile (24 accumulators, fewer loads per FMA) was
 *     the main tile until measured against this one: in L1 on Zen 4, JDK 17, 100 against 114
 *     GFLOPS, and products that took it (m a multiple of 12, or of neither 8 nor 12) ran 10–18 %
 *     slower on JDK 17 (300³ 88 → 98, 600 × 512 × 784 91 → 104, m = 100 84 → 100); on JDK 25 and
 *     on Zen 5 the two were level. So one tile, one kernel.
 * <li>KC = 256 at most, K cut in blocks of equal length (or along an A source's runs, see
 *     {@link MatrixSource#runFrom}): the packed B sliver (KC × NR = 32 KiB at 512 bits) stays in
 *     L1 while the A slivers (MR × KC = 8 KiB each) stream past it from L2; each C tile is
 *     loaded and stored once per K block, about 1% of the FMA work.
 * <li>MB = 30·MR = 240 rows: the packed A block (MB × KC = 240 KiB) stays in L2 while all
 *     column slivers of the chunk sweep it; a packed B sliver serves 30 kernel calls. (Measured on
 *     Zen 4, L1d 32 KiB: KC = 128 or 192 is no faster; packing a chunk's whole B panel up front,
 *     instead of a sliver just before its use, was 5–15% slower.) A B of at most 1 MiB that
 *     several row chunks read (a convolution's weights) is packed once for all of them instead:
 *     the reference CNN's 32→64 layer, 53 row chunks, forward and input gradient 1–4 % faster.
 * <li>Columns: on one thread a chunk spans all of C's columns, so its A block is packed once per
 *     K block; with more threads and few row chunks the columns are cut until the chunks divide
 *     evenly among them, so two cores share even a 128 × 256 product. A chunk computed in the
 *     padded buffer (see {@link #chunk}) is at most NB = 256 columns wide.
 * </ul>
 *
 * <p>Transposes are handled in packing (and, for a C computed transposed, see {@link #run}, in
 * its store), so all four forms run the same micro-kernel; on
 * 16-lane vectors a transposed operand is packed in 16 × 16 blocks transposed in registers
 * ({@link Transpose16}: the MLP weight gradients, transposed A, went from 0.76–0.93 to 0.96–1.08 of the
 * plain form's speed on the MLP's shapes), a transposed A for a whole row chunk at once. alpha
 * is folded into the packed A. Edge tiles (fewer than MR rows or NR columns) run the same kernel
 * on zero-padded slivers into a small tile buffer, so the interior has no branches and edges
 * give exactly the values a full tile would. Each element of C is the fma chain described in
 * {@link ScalarGemm}, whatever the blocking, so the result depends neither on the chunking nor
 * on the thread count.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> F = VectorSupport.F;
    private static final int L = F.length();

    static final int MR = 8;
    static final int NR = 2 * L;
    static final int KC = 256;
    static final int MB = 30 * MR;
    static final int NB = 256;
    /** Shortest K block taken from an A source's runs (shorter ones would make the C tile's loads and stores dominate). */
    private static final int MIN_RUN = 64;
    /**
     * Most floats of a B packed once for all row chunks (see {@link #run}): 1 MiB, which stays in
     * L2 beside a chunk's A block (a convolution's weights, 800 × 64, are 205 KiB).
     */
    private static final int SHARED_B_MAX = 1 << 18;
    /** Buffers for a B packed once per product, shared by the chunks that read it. */
    private static final Workspace SHARED_B = new Workspace(8);
    /** Below this many flops (2·m·n·k) a product stays on the calling thread. */
    private static final long PARALLEL_FLOPS = 1L << 22;

    /** Rows of C this many floats apart (4 KiB) share their L1 sets. */
    private static final int ALIASING_STRIDE = 1024;
    /** Row stride of the C buffer: whole tiles, plus a cache line so its rows spread over the sets. */
    private static final int LDBUF = NB + 16;

    /**
     * Packing buffers, one set per thread, so steady state allocates nothing. A thread-local is
     * safe here (unlike the buffers of {@link Workspace}, which nested parallel loops share): a
     * chunk makes no fork/join call while it holds them — packing, the micro-kernel and the sink
     * run straight through — so no other task can run on this thread in between and reuse them.
     */
    private static final class PackBuffers {
        final float[] a = new float[MB * KC];
        final float[] b = new float[KC * NR];
        final float[] tile = new float[MR * NR];
        /** A chunk of C with a padded row stride, for a C whose rows alias in L1 (see {@link #chunk}). */
        final float[] c = new float[roundUp(MB, MR) * LDBUF];
    }

    /** The C tile a product starts from when beta is 0: read with row stride 0, so one row of zeros serves all. */
    private static final float[] ZERO_TILE = new float[NR];

    private static final ThreadLocal<PackBuffers> PACK_BUFFERS = ThreadLocal.withInitial(PackBuffers::new);

    private VectorGemm() {}

    /** Same contract as {@link Gemm#sgemm}; arguments are already checked, m, n, k, alpha non-zero. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int offA, int lda, float[] b, int offB, int ldb,
                      float beta, float[] c, int offC, int ldc) {
        run(null, null, null, true, transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** {@code C = A·B + beta·C} with operands that pack themselves; m, n, k non-zero. */
    static void sgemm(int m, int n, int k, MatrixSource a, MatrixSource b, float beta, float[] c, int offC, int ldc) {
        run(a, b, null, true, false, false, m, n, k, 1f, null, 0, 0, null, 0, 0, beta, c, offC, ldc);
    }

    /**
     * {@code C = A·B} with operands that pack themselves, handed to {@code sink} block by block;
     * m, n, k non-zero. With {@code mayFork} false the blocks run on the calling thread, in order.
     */
    static void sgemm(int m, int n, int k, MatrixSource a, MatrixSource b, MatrixSink sink, boolean mayFork) {
        run(a, b, sink, mayFork, false, false, m, n, k, 1f, null, 0, 0, null, 0, 0, 0f, null, 0, n);
    }

    /** An operand is either a source (non-null) or an array with its transpose flag; C a sink or an array. */
    private static void run(MatrixSource srcA, MatrixSource srcB, MatrixSink sink, boolean mayFork, boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, int offA, int lda, float[] b, int offB, int ldb,
                            float beta, float[] c, int offC, int ldc) {
        // C = A·Bᵀ with few rows and a large B (a dense layer's x·Wᵀ at batch 128) is computed as
        // Cᵀ = B·Aᵀ, written into C transposed: B is then packed by plain copies and only A and C
        // pass through the register transpose — on the MLP's 784 → 512 layer 165K floats instead of
        // 401K. Each element is the same fma chain (a·b = b·a, the same K order; alpha 1 only, as
        // alpha is folded into the left operand), so the values do not change. One thread only: on
        // two, the plain form cuts B's columns between the threads (one row chunk), which measured
        // 300-330 GFLOPS on that layer against 250-270 for the swapped form's three row chunks.
        boolean transC = srcA == null && srcB == null && sink == null && transB && !transA && alpha == 1f
                && (long) n * k > (long) m * k + (beta == 0f ? 1L : 2L) * m * n && Loops.threads() == 1;
        if (transC) {
            product(null, null, null, mayFork, false, true, true, n, m, k, 1f, b, offB, ldb, a, offA, lda, beta, c, offC, ldc);
        } else {
            product(srcA, srcB, sink, mayFork, transA, transB, false, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        }
    }

    /** {@link #run} with C stored as it is or ({@code transC}) transposed: element (i, j) at {@code c[offC + j·ldc + i]}. */
    private static void product(MatrixSource srcA, MatrixSource srcB, MatrixSink sink, boolean mayFork, boolean transA, boolean transB,
                                boolean transC, int m, int n, int k, float alpha, float[] a, int offA, int lda, float[] b, int offB, int ldb,
                                float beta, float[] c, int offC, int ldc) {
        // Rows in chunks of equal size (up to the tile rounding): a 256-row product is two chunks of
        // 132 and 124 rows, not 240 and 16, so two cores share it evenly.
        int rowStep = roundUp(ceilDiv(m, ceilDiv(m, MB)), MR), mChunks = ceilDiv(m, rowStep);
        int threads = mayFork && 2L * m * n * k >= PARALLEL_FLOPS ? Loops.threads() : 1;
        // Columns: a chunk packs its rows of A once per K block, so on one thread a chunk spans all
        // of n (measured: the MLP's weight gradient, K = 128, packed A four times over n = 784). A
        // C computed in the chunk buffer (a sink's, or one whose rows alias in L1) is at most NB wide.
        // With more threads the columns are cut until the chunks divide evenly among them (an MLP
        // layer at batch 128 is one row chunk). The chunking may depend on the thread count: every
        // element is the same fma chain however C is cut.
        boolean buffered = buffered(sink, ldc, transC);
        // Many row chunks balance well enough as they are (53 on 2 threads: 27 against 26), and
        // cutting the columns too would pack every A block once per column chunk (measured: the
        // conv forward, 12544 × 64, ran at 1.45× of one thread with its 64 columns cut in two).
        int evenly = mChunks >= 8 * threads ? 1 : threads / gcd(mChunks, threads);
        int nChunksWanted = Math.max(buffered ? ceilDiv(n, NB) : 1, evenly);
        int colStep = roundUp(ceilDiv(n, Math.min(nChunksWanted, ceilDiv(n, NR))), NR);
        final int cols = colStep;
        int nChunks = ceilDiv(n, cols), chunks = mChunks * nChunks;
        // A B that several row chunks read is packed once, up front, into slivers they share (a
        // convolution's weights: 53 row chunks of the reference CNN's layer packed the same 800 × 64
        // floats 53 times, 4 % of its training step); the packed values are the same either way.
        long sharedSize = (long) k * roundUp(n, NR);
        float[] sharedB = mChunks > 1 && sharedSize <= SHARED_B_MAX ? SHARED_B.take((int) sharedSize) : null;
        Operands ops = new Operands(srcA, srcB, sink, transA, transB, alpha, a, offA, lda, b, offB, ldb, sharedB, roundUp(n, NR), transC);
        try {
            if (sharedB != null) {
                for (int p0 = 0, kc; p0 < k; p0 += kc) {
                    kc = ops.kBlock(p0, k);
                    for (int j = 0; j < n; j += NR) ops.packSliverB(p0, kc, j, Math.min(NR, n - j), sharedB, ops.sharedOffset(p0, kc, j));
                }
            }
            if (threads == 1 || chunks == 1) {
                for (int i0 = 0; i0 < m; i0 += rowStep) {
                    for (int j0 = 0; j0 < n; j0 += cols) {
                        chunk(ops, k, beta, c, offC, ldc, i0, Math.min(m, i0 + rowStep), j0, Math.min(n, j0 + cols));
                    }
                }
                return;
            }
            Loops.forChunks(chunks, ch -> {
                int i0 = ch / nChunks * rowStep;
                int j0 = ch % nChunks * cols;
                chunk(ops, k, beta, c, offC, ldc, i0, Math.min(m, i0 + rowStep), j0, Math.min(n, j0 + cols));
            });
        } finally {
            SHARED_B.give(sharedB);
        }
    }

    /** The two operands of a product and how to pack slivers of them. */
    private record Operands(MatrixSource srcA, MatrixSource srcB, MatrixSink sink, boolean transA, boolean transB, float alpha,
                            float[] a, int offA, int lda, float[] b, int offB, int ldb, float[] sharedB, int nPadded, boolean transC) {

        /**
         * The length of the K block from p0: K cut in blocks of equal length (800 = 4 × 200, not
         * 3 × 256 + 32: a short last block pays the C tile's loads and stores for few FMAs), or along
         * the runs an A source copies in one piece. The same for every chunk of a product.
         */
        int kBlock(int p0, int k) {
            int kStep = ceilDiv(k, ceilDiv(k, KC));
            int run = srcA == null ? 0 : srcA.runFrom(p0, Math.min(KC, k - p0));
            return run >= MIN_RUN ? run : Math.min(kStep, k - p0);
        }

        /** Where the sliver of columns [j, j + NR) of the K block [p0, p0 + kc) lies in {@link #sharedB}. */
        int sharedOffset(int p0, int kc, int j) {
            return p0 * nPadded + j / NR * kc * NR;
        }

        /**
         * Packs rows [i0, i1) × [p0, p0+kc) of alpha·op(A) as the chunk's A slivers, the last one
         * padded with zero rows. The slivers lie one after the other, so row r of the chunk is at
         * {@code dst[r·KC]} whatever the tile height: a transposed A is packed in one piece, 16 rows at a time.
         */
        void packBlockA(int i0, int i1, int p0, int kc, float[] dst) {
            if (srcA == null && transA) {
                packATransposed(alpha, a, offA, lda, i0, i1 - i0, roundUp(i1 - i0, MR), p0, kc, dst, 0);
                return;
            }
            for (int i = i0, aOff = 0; i < i1; i += MR, aOff += MR * KC) {
                packSliverA(i, Math.min(MR, i1 - i), p0, kc, dst, aOff);
            }
        }

        /** Packs rows [i, i+mr) × [p0, p0+kc) of alpha·A (a source or A not transposed) as an A sliver at {@code dst[aOff]}. */
        void packSliverA(int i, int mr, int p0, int kc, float[] dst, int aOff) {
            if (srcA != null) {
                srcA.copy(i, mr, p0, kc, dst, aOff, KC);
                for (int r = mr; r < MR; r++) Arrays.fill(dst, aOff + r * KC, aOff + r * KC + kc, 0f);
                if (alpha != 1f) {
                    for (int r = 0; r < mr; r++) for (int p = 0; p < kc; p++) dst[aOff + r * KC + p] *= alpha;
                }
            } else {
                packA(alpha, a, offA, lda, i, mr, p0, kc, dst, aOff);
            }
        }

        /** Packs rows [p0, p0+kc) × columns [j, j+nr) of op(B) as a B sliver at {@code dst[off]}. */
        void packSliverB(int p0, int kc, int j, int nr, float[] dst, int off) {
            if (srcB != null) {
                srcB.copy(p0, kc, j, nr, dst, off, NR);
                if (nr < NR) {
                    for (int p = 0; p < kc; p++) Arrays.fill(dst, off + p * NR + nr, off + (p + 1) * NR, 0f);
                }
            } else if (transB) {
                packBTransposed(b, offB, ldb, p0, kc, j, nr, dst, off);
            } else {
                packB(b, offB, ldb, p0, kc, j, nr, dst, off);
            }
        }
    }

    /**
     * Whether a chunk computes C in the padded buffer (see {@link #chunk}): for a sink, a C stored
     * transposed, or when C's rows alias in L1. Such a chunk is at most NB columns wide, which
     * {@link #run} keeps to.
     */
    private static boolean buffered(MatrixSink sink, int ldc, boolean transC) {
        return sink != null || transC || ldc % ALIASING_STRIDE == 0;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int roundUp(int a, int multiple) {
        return ceilDiv(a, multiple) * multiple;
    }

    /**
     * Computes rows [i0, i1) × columns [j0, j1) of C (at most MB rows) over the whole K.
     *
     * <p>A C whose rows are a multiple of 4 KiB apart is computed in a contiguous buffer instead:
     * such rows share their L1 sets (64 sets × 64 bytes span 4 KiB), so the rows × 2 lines of
     * a C tile crowd 2 sets of 8 ways and miss on loads and stores of the tile (measured with a
     * 12-row tile: n = 1024 and 2048 ran 5 % slower than with ldc padded by 16 floats). The chunk's C is copied
     * (times beta; with beta 0 nothing is copied and the first K block starts from zero) into the buffer, whose row stride is padded and whose size is whole tiles,
     * every K block works there without edge tiles, and the result is copied back once. Each
     * element is the same chain of fmas either way, so the values are identical. A result that goes
     * to a sink is computed in the same buffer and handed over once, finished.
     */
    private static void chunk(Operands ops, int k, float beta, float[] c, int offC, int ldc,
                              int i0, int i1, int j0, int j1) {
        PackBuffers ws = PACK_BUFFERS.get();
        boolean buffered = buffered(ops.sink, ldc, ops.transC);
        float[] out = buffered ? ws.c : c;
        // element (i, j) of C lives at out[base + i·ld + j]
        int ld = buffered ? LDBUF : ldc, base = buffered ? -i0 * LDBUF - j0 : offC;
        if (buffered && beta != 0f) toBuffer(beta, c, offC, ldc, ops.transC, i0, i1, j0, j1, ws.c);
        for (int p0 = 0, kc; p0 < k; p0 += kc) {
            kc = ops.kBlock(p0, k);
            ops.packBlockA(i0, i1, p0, kc, ws.a);
            for (int j = j0; j < j1; j += NR) {
                int nr = Math.min(NR, j1 - j);
                float[] bp = ws.b;
                int bOff = 0;
                if (ops.sharedB != null) {
                    bp = ops.sharedB;                                   // packed once, up front (see run)
                    bOff = ops.sharedOffset(p0, kc, j);
                } else {
                    ops.packSliverB(p0, kc, j, nr, ws.b, 0);
                }
                for (int i = i0, aOff = 0; i < i1; i += MR, aOff += MR * KC) {
                    int mr = Math.min(MR, i1 - i);
                    int cOff = base + i * ld + j;
                    boolean whole = buffered || (mr == MR && nr == NR);
                    if (p0 == 0 && beta == 0f && whole) {
                        // the first K block of C = A·B starts from zero accumulators, C unread
                        kernel(kc, ws.a, aOff, bp, bOff, ZERO_TILE, 0, 0, out, cOff, ld);
                        continue;
                    }
                    // The first K block applies beta (the buffer has it already); later ones add to
                    // what earlier ones stored.
                    if (p0 == 0 && !buffered) scale(beta, c, cOff, ldc, mr, nr);
                    if (whole) {
                        kernel(kc, ws.a, aOff, bp, bOff, out, cOff, ld, out, cOff, ld);
                    } else {
                        edge(kc, ws, aOff, bp, bOff, mr, nr, c, cOff, ldc);
                    }
                }
            }
        }
        if (ops.sink != null) {
            ops.sink.store(i0, i1 - i0, j0, j1 - j0, ws.c, 0, LDBUF);
        } else if (ops.transC) {
            Transpose16.matrix(ws.c, 0, LDBUF, i1 - i0, j1 - j0, c, offC + j0 * ldc + i0, ldc);
        } else if (buffered) {
            for (int i = i0; i < i1; i++) System.arraycopy(ws.c, (i - i0) * LDBUF, c, offC + i * ldc + j0, j1 - j0);
        }
    }

    /**
     * Copies beta·C[i0..i1, j0..j1] into the buffer (beta non-zero), rows padded to whole tiles with
     * zeros; {@code transC}: C is stored transposed, element (i, j) at {@code c[offC + j·ldc + i]}.
     */
    private static void toBuffer(float beta, float[] c, int offC, int ldc, boolean transC, int i0, int i1, int j0, int j1,
                                 float[] buf) {
        int rows = i1 - i0, cols = j1 - j0, padded = roundUp(rows, MR);
        if (transC) Transpose16.matrix(c, offC + j0 * ldc + i0, ldc, cols, rows, buf, 0, LDBUF);
        for (int r = 0; r < padded; r++) {
            int d = r * LDBUF, s = offC + (i0 + r) * ldc + j0;
            if (r >= rows) {
                Arrays.fill(buf, d, d + cols, 0f);
            } else if (transC) {
                if (beta != 1f) for (int q = 0; q < cols; q++) buf[d + q] *= beta;
            } else if (beta == 1f) {
                System.arraycopy(c, s, buf, d, cols);
            } else {
                for (int q = 0; q < cols; q++) buf[d + q] = beta * c[s + q];
            }
        }
    }

    /** C tile = beta·C tile, without reading C when beta is 0. The tile is then in L1 for the kernel. */
    private static void scale(float beta, float[] c, int cOff, int ldc, int mr, int nr) {
        if (beta == 1f) return;
        for (int r = 0; r < mr; r++) {
            int row = cOff + r * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + nr, 0f);
            } else {
                for (int q = 0; q < nr; q++) c[row + q] *= beta;
            }
        }
    }

    /** A partial tile: the full kernel on a copy of the tile, then the valid part copied back. */
    private static void edge(int kc, PackBuffers ws, int aOff, float[] bp, int bOff, int mr, int nr, float[] c, int cOff, int ldc) {
        float[] t = ws.tile;
        for (int r = 0; r < mr; r++) System.arraycopy(c, cOff + r * ldc, t, r * NR, nr);
        kernel(kc, ws.a, aOff, bp, bOff, t, 0, NR, t, 0, NR);
        for (int r = 0; r < mr; r++) System.arraycopy(t, r * NR, c, cOff + r * ldc, nr);
    }

    // Packed layouts. A sliver: MR rows of KC floats, element (r, p) at aOff + r·KC + p, alpha
    // folded in, rows past the matrix zero. B sliver: kc rows of NR floats, element (p, j) at
    // p·NR + j, columns past the matrix zero.

    /** A not transposed: each sliver row is a contiguous run of a row of A. */
    private static void packA(float alpha, float[] a, int offA, int lda, int i, int mr, int p0, int kc,
                              float[] dst, int aOff) {
        for (int r = 0; r < MR; r++) {
            int d = aOff + r * KC;
            int s = offA + (i + r) * lda + p0;
            if (r >= mr) {
                Arrays.fill(dst, d, d + kc, 0f);
            } else if (alpha == 1f) {
                System.arraycopy(a, s, dst, d, kc);
            } else {
                for (int p = 0; p < kc; p++) dst[d + p] = alpha * a[s + p];
            }
        }
    }

    /**
     * A transposed: element (i+r, p0+p) of op(A) is a[(p0+p)·lda + i + r]. Packs mr rows, row r at
     * {@code dst[aOff + r·KC]}, and zero rows up to {@code paddedRows} (the chunk's slivers, whole).
     */
    private static void packATransposed(float alpha, float[] a, int offA, int lda, int i, int mr, int paddedRows, int p0, int kc,
                                        float[] dst, int aOff) {
        for (int r = mr; r < paddedRows; r++) Arrays.fill(dst, aOff + r * KC, aOff + r * KC + kc, 0f);
        int r0 = 0;
        if (alpha == 1f && Transpose16.available()) {
            // 16 × 16 blocks transposed in registers (see Transpose16), then the rows and steps left over
            int pBlocks = kc - kc % 16;
            for (; r0 + 16 <= mr; r0 += 16) {
                for (int p = 0; p < pBlocks; p += 16) {
                    Transpose16.block(a, offA + (p0 + p) * lda + i + r0, lda, dst, aOff + r0 * KC + p, KC);
                }
                for (int p = pBlocks; p < kc; p++) {
                    int s = offA + (p0 + p) * lda + i;
                    for (int r = r0; r < r0 + 16; r++) dst[aOff + r * KC + p] = a[s + r];
                }
            }
        }
        for (int p = 0; p < kc; p++) {
            int s = offA + (p0 + p) * lda + i;
            for (int r = r0; r < mr; r++) dst[aOff + r * KC + p] = alpha * a[s + r];
        }
    }

    /** B not transposed: each sliver row is a contiguous run of a row of B. */
    private static void packB(float[] b, int offB, int ldb, int p0, int kc, int j, int nr, float[] dst, int off) {
        for (int p = 0, d = off; p < kc; p++, d += NR) {
            int s = offB + (p0 + p) * ldb + j;
            if (nr == NR) {
                VectorSupport.copyTwoVectors(b, s, dst, d);
            } else {
                for (int q = 0; q < nr; q++) dst[d + q] = b[s + q];
                for (int q = nr; q < NR; q++) dst[d + q] = 0f;
            }
        }
    }

    /** B transposed: element (p0+p, j+q) of op(B) is b[(j+q)·ldb + p0 + p]. */
    private static void packBTransposed(float[] b, int offB, int ldb, int p0, int kc, int j, int nr, float[] dst, int off) {
        int q = 0;
        if (Transpose16.available()) {
            // Sixteen rows of B at a time in 16 × 16 blocks transposed in registers (see Transpose16);
            // the last kc % 16 steps of these rows as below
            int pBlocks = kc - kc % 16;
            for (; q + 16 <= nr; q += 16) {
                int s = offB + (j + q) * ldb + p0;
                for (int p = 0; p < pBlocks; p += 16) Transpose16.block(b, s + p, ldb, dst, off + p * NR + q, NR);
                for (int p = pBlocks; p < kc; p++) {
                    for (int r = 0; r < 16; r++) dst[off + p * NR + q + r] = b[s + r * ldb + p];
                }
            }
        }
        // Four rows of B at a time: four sequential read streams, and each step writes four
        // neighbouring floats of the sliver instead of one float per 128-byte stride.
        for (; q + 4 <= nr; q += 4) {
            int s0 = offB + (j + q) * ldb + p0, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
            for (int p = 0; p < kc; p++) {
                int d = off + p * NR + q;
                dst[d] = b[s0 + p];
                dst[d + 1] = b[s1 + p];
                dst[d + 2] = b[s2 + p];
                dst[d + 3] = b[s3 + p];
            }
        }
        for (; q < nr; q++) {
            int s = offB + (j + q) * ldb + p0;
            for (int p = 0; p < kc; p++) dst[off + p * NR + q] = b[s + p];
        }
        for (q = nr; q < NR; q++) {
            for (int p = 0; p < kc; p++) dst[off + p * NR + q] = 0f;
        }
    }

    /**
     * The micro-kernel: one MR × NR tile of C, {@code C += A·B} over kc steps, with A the
     * packed sliver at {@code ap[aOff + r·KC + p]} and B the packed sliver at {@code bp[bOff + p·NR + j]}.
     * The 2·MR accumulators stay in registers for the whole K loop; each step loads two vectors
     * of B and broadcasts MR values of A. Loads, FMAs and stores are all in this one method on
     * purpose: a helper the JIT does not inline would box the vectors (measured: 7× slower).
     * Indexes are linear in p so the JIT can hoist the bounds checks out of the loop. There is
     * no branch at all: the tile is read from {@code cIn} (C itself, or {@link #ZERO_TILE} with
     * {@code ldIn} 0 for a first K block with beta = 0) and written to {@code c}; beta ≠ 0 is
     * applied to C before the first K block. So a JIT profile taken with one beta cannot
     * deoptimize this method when a later call has another.
     */
    private static void kernel(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] cIn, int inOff, int ldIn,
                               float[] c, int cOff, int ldc) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        c00 = FloatVector.fromArray(F, cIn, inOff); c01 = FloatVector.fromArray(F, cIn, inOff + L);
        c10 = FloatVector.fromArray(F, cIn, inOff + ldIn); c11 = FloatVector.fromArray(F, cIn, inOff + ldIn + L);
        c20 = FloatVector.fromArray(F, cIn, inOff + 2 * ldIn); c21 = FloatVector.fromArray(F, cIn, inOff + 2 * ldIn + L);
        c30 = FloatVector.fromArray(F, cIn, inOff + 3 * ldIn); c31 = FloatVector.fromArray(F, cIn, inOff + 3 * ldIn + L);
        c40 = FloatVector.fromArray(F, cIn, inOff + 4 * ldIn); c41 = FloatVector.fromArray(F, cIn, inOff + 4 * ldIn + L);
        c50 = FloatVector.fromArray(F, cIn, inOff + 5 * ldIn); c51 = FloatVector.fromArray(F, cIn, inOff + 5 * ldIn + L);
        c60 = FloatVector.fromArray(F, cIn, inOff + 6 * ldIn); c61 = FloatVector.fromArray(F, cIn, inOff + 6 * ldIn + L);
        c70 = FloatVector.fromArray(F, cIn, inOff + 7 * ldIn); c71 = FloatVector.fromArray(F, cIn, inOff + 7 * ldIn + L);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bOff + p * NR);
            FloatVector b1 = FloatVector.fromArray(F, bp, bOff + p * NR + L);
            int ai = aOff + p;
            FloatVector ar;
            ar = FloatVector.broadcast(F, ap[ai]); c00 = ar.fma(b0, c00); c01 = ar.fma(b1, c01);
            ar = FloatVector.broadcast(F, ap[ai + KC]); c10 = ar.fma(b0, c10); c11 = ar.fma(b1, c11);
            ar = FloatVector.broadcast(F, ap[ai + 2 * KC]); c20 = ar.fma(b0, c20); c21 = ar.fma(b1, c21);
            ar = FloatVector.broadcast(F, ap[ai + 3 * KC]); c30 = ar.fma(b0, c30); c31 = ar.fma(b1, c31);
            ar = FloatVector.broadcast(F, ap[ai + 4 * KC]); c40 = ar.fma(b0, c40); c41 = ar.fma(b1, c41);
            ar = FloatVector.broadcast(F, ap[ai + 5 * KC]); c50 = ar.fma(b0, c50); c51 = ar.fma(b1, c51);
            ar = FloatVector.broadcast(F, ap[ai + 6 * KC]); c60 = ar.fma(b0, c60); c61 = ar.fma(b1, c61);
            ar = FloatVector.broadcast(F, ap[ai + 7 * KC]); c70 = ar.fma(b0, c70); c71 = ar.fma(b1, c71);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc); c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc); c71.intoArray(c, cOff + 7 * ldc + L);
    }
}
