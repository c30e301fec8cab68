package org.jgrad.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a stride-1 convolution tap by tap, over only the output pixels whose tap
 * reads a real input pixel: {@code dw[k][c][r][s] = Σ_n Σ_(p,q) dy[n][k][p][q] · x[n][c][p − padH +
 * r·dilH][q − padW + s·dilW]}, where for each tap (r, s) the pixels (p, q) form a rectangle. The
 * GEMM form ({@code dy' · patches}) multiplies the padding's zeros too: 16 % of the reference CNN's
 * 32→64 layer (5 × 5, pad 2 on 14 × 14: 64 of 70 columns and rows), which oneDNN's direct
 * kernels skip the same way. Only touched when {@link Simd#ENABLED} with 16-lane vectors.
 *
 * <p>Both operands are channels-last: the padded input {@code xt[n][h'][w'][C]} and the output
 * gradient in blocks of 16 channels, {@code dyt[n][k / 16][p][q][k % 16]}. The register tile is 8
 * output channels × 32 input channels of one tap (16 accumulators): per pixel two vector loads of
 * x, eight broadcasts of dy, sixteen FMAs. A tile's
 * sums live in {@code dwt[K][R·S·C]} (the GEMM path's layout) between images, so the images of the
 * batch can be taken one at a time, their 91 KB (reference layer) staying in L2 across the tiles.
 *
 * <p>Measured on that layer (batch 64, Zen 4, JDK 17, fresh JVM per run, alternating with the GEMM
 * path): 1 thread 12.7–13.6 ms against 13.7–14.2, 2 threads 6.6–7.4 against 7.5–8.5 (the tiles
 * split evenly; the GEMM's 25 column slivers of 32 did not). The tile itself runs at ~89 GFLOPS,
 * below the GEMM micro-kernel of the same shape (the row jumps and the bounds checks of a loop
 * that is not a plain count), which the 16 % fewer FMAs more than make up for.
 *
 * <p>Each element is one fma chain from zero over the pixels of the batch in (n, p, q) order — the
 * GEMM path's reduction order, its skipped products being exact zeros that leave a chain from +0
 * unchanged — so both paths give the same bits; each tile is summed by one thread, so the thread
 * count changes nothing.
 */
final class VectorTapWeightGradient {

    private static final VectorSpecies<Float> F = VectorSupport.F;
    /**
     * Input channels per tile (two vectors), output channels per tile (broadcasts) and per block of
     * the output gradient's layout: blocks of 16, not 8, so that its copy is made of the 16 × 16
     * register transposes (with blocks of 8 the copy fell to the scalar path: 10 % of the pass).
     */
    private static final int CT = 32, KT = 8, KB = 16;
    /** Parallel tasks per call (fewer when there are fewer tiles). */
    private static final int TASKS = 8;

    private VectorTapWeightGradient() {}

    /** Whether this kernel computes the geometry: 16-lane vectors, one group, stride 1, C a multiple of 32, K of 16. */
    static boolean handles(ConvGeometry g) {
        return F.length() == 16 && g.groups == 1 && g.strideH == 1 && g.strideW == 1
                && g.c % CT == 0 && g.k % KB == 0 && g.n > 0 && g.p > 0 && g.q > 0;
    }

    /**
     * {@code dwt[k][(r·S + s)·C + c] = ∂L/∂w[k][c][r][s]} from the padded channels-last input
     * {@code xt} ({@link Conv2dKernel#toChannelsLast} with the geometry's padding) and the output
     * gradient {@code dy[N, K, P, Q]} at {@code offDy}; {@code dwt} holds
     * {@link ConvGeometry#weightSize} floats, all written.
     */
    static void backwardWeight(ConvGeometry g, float[] xt, float[] dy, int offDy, float[] dwt) {
        float[] dyt = Conv2dKernel.LAYOUTS.take(g.n * g.outputSize());
        try {
            Conv2dKernel.toChannelsLast(dy, offDy, g.n * g.k / KB, KB, g.p, g.q, 0, 0, dyt);
            sum(g, xt, dyt, dwt);
        } finally {
            Conv2dKernel.LAYOUTS.give(dyt);
        }
    }

    /** {@link #backwardWeight} from the blocked output gradient {@code dyt[n][k / 16][p][q][k % 16]}. */
    private static void sum(ConvGeometry g, float[] xt, float[] dyt, float[] dwt) {
        int hp = g.h + 2 * g.padH, wp = g.w + 2 * g.padW, taps = g.r * g.s, rsc = taps * g.c;
        int cBlocks = g.c / CT, kBlocks = g.k / KT, tiles = taps * cBlocks * kBlocks;
        Arrays.fill(dwt, 0, g.weightSize(), 0f);
        // Tiles in (k block, tap, c block) order, so consecutive tiles of a task read the same output
        // gradient rows; a task takes every image in turn, so each task reads the whole batch once:
        // 8 tasks (a function of the shapes, like every cut; a tile's whole sum is made in one task
        // anyway) balance a few threads without reading it many times.
        int grain = Math.max(1, (tiles + TASKS - 1) / TASKS);
        Loops.forRange(tiles, grain, (from, to) -> {
            for (int n = 0; n < g.n; n++) {
                for (int tile = from; tile < to; tile++) {
                    int kb = tile / (taps * cBlocks), tap = tile / cBlocks % taps, cb = tile % cBlocks;
                    int r = tap / g.s, s = tap % g.s;
                    // output pixels whose tap reads inside the image: p − padH + r·dilH in [0, H)
                    int pFrom = Math.max(0, g.padH - r * g.dilH), pTo = Math.min(g.p, g.h + g.padH - r * g.dilH);
                    int qFrom = Math.max(0, g.padW - s * g.dilW), qTo = Math.min(g.q, g.w + g.padW - s * g.dilW);
                    if (pFrom >= pTo || qFrom >= qTo) continue;
                    int xStart = ((n * hp + pFrom + r * g.dilH) * wp + qFrom + s * g.dilW) * g.c + cb * CT;
                    int dStart = (((n * g.k + kb * KT) / KB * g.p + pFrom) * g.q + qFrom) * KB + kb * KT % KB;
                    tile(xt, xStart, wp * g.c, g.c, dyt, dStart, g.q * KB, KB, pTo - pFrom, qTo - qFrom,
                            dwt, kb * KT * rsc + tap * g.c + cb * CT, rsc);
                }
            }
        });
    }

    /**
     * One tile over a rectangle of {@code rows × cols} pixels: x vectors from {@code xt[xStart ..]}
     * (next pixel {@code xPixel} floats on, next row {@code xRow}), dy broadcasts from
     * {@code dyt[dStart ..]} (likewise {@code dPixel}, {@code dRow}); the 8 × 32 sums are read from
     * and written back to {@code dwt[at + k·kStride + c]}. Written out accumulator by accumulator,
     * loads, FMAs and stores in one method (see {@link VectorGemm}).
     */
    private static void tile(float[] xt, int xStart, int xRow, int xPixel, float[] dyt, int dStart, int dRow, int dPixel,
                             int rows, int cols, float[] dwt, int at, int kStride) {
        FloatVector a00 = FloatVector.fromArray(F, dwt, at), a01 = FloatVector.fromArray(F, dwt, at + 16);
        FloatVector a10 = FloatVector.fromArray(F, dwt, at + kStride), a11 = FloatVector.fromArray(F, dwt, at + kStride + 16);
        FloatVector a20 = FloatVector.fromArray(F, dwt, at + 2 * kStride), a21 = FloatVector.fromArray(F, dwt, at + 2 * kStride + 16);
        FloatVector a30 = FloatVector.fromArray(F, dwt, at + 3 * kStride), a31 = FloatVector.fromArray(F, dwt, at + 3 * kStride + 16);
        FloatVector a40 = FloatVector.fromArray(F, dwt, at + 4 * kStride), a41 = FloatVector.fromArray(F, dwt, at + 4 * kStride + 16);
        FloatVector a50 = FloatVector.fromArray(F, dwt, at + 5 * kStride), a51 = FloatVector.fromArray(F, dwt, at + 5 * kStride + 16);
        FloatVector a60 = FloatVector.fromArray(F, dwt, at + 6 * kStride), a61 = FloatVector.fromArray(F, dwt, at + 6 * kStride + 16);
        FloatVector a70 = FloatVector.fromArray(F, dwt, at + 7 * kStride), a71 = FloatVector.fromArray(F, dwt, at + 7 * kStride + 16);
        // one loop over the rectangle's pixels (two nested loops left C2 boxing the accumulators:
        // 210 ms against 12 for the reference layer), the row change done on the indices
        int xi = xStart, di = dStart, xSkip = xRow - cols * xPixel, dSkip = dRow - cols * dPixel;
        for (int i = 0, col = 0, pixels = rows * cols; i < pixels; i++) {
            FloatVector x0 = FloatVector.fromArray(F, xt, xi), x1 = FloatVector.fromArray(F, xt, xi + 16), b;
            b = FloatVector.broadcast(F, dyt[di]); a00 = b.fma(x0, a00); a01 = b.fma(x1, a01);
            b = FloatVector.broadcast(F, dyt[di + 1]); a10 = b.fma(x0, a10); a11 = b.fma(x1, a11);
            b = FloatVector.broadcast(F, dyt[di + 2]); a20 = b.fma(x0, a20); a21 = b.fma(x1, a21);
            b = FloatVector.broadcast(F, dyt[di + 3]); a30 = b.fma(x0, a30); a31 = b.fma(x1, a31);
            b = FloatVector.broadcast(F, dyt[di + 4]); a40 = b.fma(x0, a40); a41 = b.fma(x1, a41);
            b = FloatVector.broadcast(F, dyt[di + 5]); a50 = b.fma(x0, a50); a51 = b.fma(x1, a51);
            b = FloatVector.broadcast(F, dyt[di + 6]); a60 = b.fma(x0, a60); a61 = b.fma(x1, a61);
            b = FloatVector.broadcast(F, dyt[di + 7]); a70 = b.fma(x0, a70); a71 = b.fma(x1, a71);
            xi += xPixel;
            di += dPixel;
            if (++col == cols) {
                col = 0;
                xi += xSkip;
                di += dSkip;
            }
        }
        // through an exact-class sum (0 + a, the same bits): see VectorBlockedConv's tile
        FloatVector z = FloatVector.zero(F);
        z.add(a00).intoArray(dwt, at); z.add(a01).intoArray(dwt, at + 16);
        z.add(a10).intoArray(dwt, at + kStride); z.add(a11).intoArray(dwt, at + kStride + 16);
        z.add(a20).intoArray(dwt, at + 2 * kStride); z.add(a21).intoArray(dwt, at + 2 * kStride + 16);
        z.add(a30).intoArray(dwt, at + 3 * kStride); z.add(a31).intoArray(dwt, at + 3 * kStride + 16);
        z.add(a40).intoArray(dwt, at + 4 * kStride); z.add(a41).intoArray(dwt, at + 4 * kStride + 16);
        z.add(a50).intoArray(dwt, at + 5 * kStride); z.add(a51).intoArray(dwt, at + 5 * kStride + 16);
        z.add(a60).intoArray(dwt, at + 6 * kStride); z.add(a61).intoArray(dwt, at + 6 * kStride + 16);
        z.add(a70).intoArray(dwt, at + 7 * kStride); z.add(a71).intoArray(dwt, at + 7 * kStride + 16);
    }
}
