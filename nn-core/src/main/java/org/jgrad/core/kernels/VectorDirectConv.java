package org.jgrad.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward of a convolution of images with few channels (a first layer on grey or RGB images),
 * stride 1, computed directly: no im2col matrix, no GEMM packing. Only touched when
 * {@link Simd#ENABLED}.
 *
 * <p>Each input channel is copied into a zero-bordered plane of {@code Hp × Wp} floats (the padded
 * image, rows contiguous). Output position (p, q) then reads, for tap (c, r, s), the plane element
 * at the flat index {@code p·Wp + q + offset(c, r, s)} with {@code offset = c·plane + r·dilH·Wp +
 * s·dilW}: consecutive q are consecutive floats for every tap, so a vector of outputs along a row is
 * one unaligned load per tap. The register tile is 8 output channels × 2 vectors of a row: per tap
 * two loads, eight broadcast weights, sixteen FMAs, over all C·R·S taps without leaving registers.
 * With K = 25 taps (the reference CNN's 1→32 layer) a GEMM reloads its C tile every 25 steps and
 * packs both operands around them; here nothing moves but the image and the result.
 *
 * <p>Each output is {@code bias} (or 0) then one fma per tap in (c, r, s) order — the same chain as
 * the GEMM of the image-by-image path, so the same bits. Measured on the reference CNN's first
 * layer (64 × 1 × 28 × 28 → 32 channels, 5 × 5, JDK 17, one thread): 0.84–0.87 ms through
 * im2col and the GEMM, 0.57 ms here. (The weight gradient written the same way — dy and the
 * planes in the flat layout, 4 channels × 5 taps of vector accumulators — measured 1.6 ms against
 * the GEMM path's 1.4–1.6, so it stays there.)
 */
final class VectorDirectConv {

    private static final VectorSpecies<Float> F = VectorSupport.F;
    private static final int L = F.length();
    /** Output channels per register tile. */
    private static final int KT = 8;

    private static final Workspace PLANES = new Workspace(4 * Runtime.getRuntime().availableProcessors() + 4);

    private VectorDirectConv() {}

    /** Whether this kernel computes the geometry: one group, stride 1 (any padding, dilation, kernel). */
    static boolean handles(ConvGeometry g) {
        return g.groups == 1 && g.strideH == 1 && g.strideW == 1 && g.n > 0 && g.p > 0 && g.q > 0;
    }

    /** Where things are in the padded flat planes of one geometry. */
    private record Flat(int wp, int plane, int segments, int[] offsets) {
        static Flat of(ConvGeometry g) {
            int hp = g.h + 2 * g.padH, wp = g.w + 2 * g.padW;
            int segments = (g.q + 2 * L - 1) / (2 * L);
            // a row's last segment reads up to 2L − 1 floats past q = Q − 1, plus the widest tap
            int plane = hp * wp + 2 * L + (g.s - 1) * g.dilW;
            int[] offsets = new int[g.c * g.r * g.s];
            for (int c = 0, t = 0; c < g.c; c++)
                for (int r = 0; r < g.r; r++)
                    for (int s = 0; s < g.s; s++) offsets[t++] = c * plane + r * g.dilH * wp + s * g.dilW;
            return new Flat(wp, plane, segments, offsets);
        }

        /** Copies image {@code x[offX ..]} into the interiors of the planes at {@code planes[at ..]}; borders and slack stay as they are (zero). */
        void pad(ConvGeometry g, float[] x, int offX, float[] planes, int at) {
            for (int c = 0; c < g.c; c++)
                for (int h = 0; h < g.h; h++)
                    System.arraycopy(x, offX + (c * g.h + h) * g.w, planes, at + c * plane + (h + g.padH) * wp + g.padW, g.w);
        }
    }

    /** Same contract as {@link Conv2dKernel#forward}, for a geometry this kernel {@link #handles}. */
    static void forward(ConvGeometry g, float[] x, int offX, float[] w, int offW, float[] bias, int offBias,
                        float[] y, int offY) {
        Flat f = Flat.of(g);
        int taps = g.c * g.r * g.s, kp = (g.k + KT - 1) / KT * KT;
        // wt[t·Kp + k] = w[k][c][r][s], t = (c·R + r)·S + s; channels past K are zero
        float[] wt = new float[taps * kp];
        for (int k = 0; k < g.k; k++)
            for (int t = 0; t < taps; t++) wt[t * kp + k] = w[offW + k * taps + t];
        float[] b = new float[kp];
        if (bias != null) System.arraycopy(bias, offBias, b, 0, g.k);
        int inPer = g.inputSize(), outPer = g.outputSize();
        Loops.forRange(g.n, 1, (from, to) -> {
            float[] planes = PLANES.take(g.c * f.plane);
            float[] last = new float[KT * 2 * L];
            try {
                Arrays.fill(planes, 0, g.c * f.plane, 0f);
                for (int n = from; n < to; n++) {
                    f.pad(g, x, offX + n * inPer, planes, 0);
                    for (int k0 = 0; k0 < g.k; k0 += KT) {
                        for (int p = 0; p < g.p; p++) {
                            for (int seg = 0; seg < f.segments; seg++) {
                                int q0 = seg * 2 * L;
                                tile(taps, planes, p * f.wp + q0, f.offsets, wt, kp, k0, b, y,
                                        offY + n * outPer + k0 * g.p * g.q + p * g.q + q0, g.p * g.q,
                                        Math.min(KT, g.k - k0), g.q - q0, p * g.q + q0 + 2 * L <= g.p * g.q, last);
                            }
                        }
                    }
                }
            } finally {
                PLANES.give(planes);
            }
        });
    }

    /**
     * One tile: {@code rows} output channels from k0 (at most 8) × 2 vectors of one output row from
     * the flat position {@code base}, over every tap. Stored at {@code y[yOff + j·kStride + u]} for
     * u below {@code valid}. Lanes past the row's end are stored too — into the rows after, written
     * later — when the two vectors {@code fits} in the channel's plane; else (a plane's last rows)
     * they would reach the next plane or pass the array's end, and the tile goes through
     * {@code last} (8 × 2L floats), as does a tile with fewer than 8 channels.
     */
    private static void tile(int taps, float[] planes, int base, int[] offsets, float[] wt, int kp, int k0, float[] b,
                             float[] y, int yOff, int kStride, int rows, int valid, boolean fits, float[] last) {
        FloatVector a00 = FloatVector.broadcast(F, b[k0]), a01 = a00;
        FloatVector a10 = FloatVector.broadcast(F, b[k0 + 1]), a11 = a10;
        FloatVector a20 = FloatVector.broadcast(F, b[k0 + 2]), a21 = a20;
        FloatVector a30 = FloatVector.broadcast(F, b[k0 + 3]), a31 = a30;
        FloatVector a40 = FloatVector.broadcast(F, b[k0 + 4]), a41 = a40;
        FloatVector a50 = FloatVector.broadcast(F, b[k0 + 5]), a51 = a50;
        FloatVector a60 = FloatVector.broadcast(F, b[k0 + 6]), a61 = a60;
        FloatVector a70 = FloatVector.broadcast(F, b[k0 + 7]), a71 = a70;
        for (int t = 0; t < taps; t++) {
            int o = base + offsets[t], wi = t * kp + k0;
            FloatVector x0 = FloatVector.fromArray(F, planes, o), x1 = FloatVector.fromArray(F, planes, o + L);
            FloatVector v;
            v = FloatVector.broadcast(F, wt[wi]); a00 = x0.fma(v, a00); a01 = x1.fma(v, a01);
            v = FloatVector.broadcast(F, wt[wi + 1]); a10 = x0.fma(v, a10); a11 = x1.fma(v, a11);
            v = FloatVector.broadcast(F, wt[wi + 2]); a20 = x0.fma(v, a20); a21 = x1.fma(v, a21);
            v = FloatVector.broadcast(F, wt[wi + 3]); a30 = x0.fma(v, a30); a31 = x1.fma(v, a31);
            v = FloatVector.broadcast(F, wt[wi + 4]); a40 = x0.fma(v, a40); a41 = x1.fma(v, a41);
            v = FloatVector.broadcast(F, wt[wi + 5]); a50 = x0.fma(v, a50); a51 = x1.fma(v, a51);
            v = FloatVector.broadcast(F, wt[wi + 6]); a60 = x0.fma(v, a60); a61 = x1.fma(v, a61);
            v = FloatVector.broadcast(F, wt[wi + 7]); a70 = x0.fma(v, a70); a71 = x1.fma(v, a71);
        }
        // Written out store by store: selecting accumulators by index (a switch, an array) made C2
        // box them — measured 2.5× slower forward, 15× slower weight gradient.
        if (fits && rows == KT) {
            int s = kStride;
            a00.intoArray(y, yOff); a01.intoArray(y, yOff + L);
            a10.intoArray(y, yOff + s); a11.intoArray(y, yOff + s + L);
            a20.intoArray(y, yOff + 2 * s); a21.intoArray(y, yOff + 2 * s + L);
            a30.intoArray(y, yOff + 3 * s); a31.intoArray(y, yOff + 3 * s + L);
            a40.intoArray(y, yOff + 4 * s); a41.intoArray(y, yOff + 4 * s + L);
            a50.intoArray(y, yOff + 5 * s); a51.intoArray(y, yOff + 5 * s + L);
            a60.intoArray(y, yOff + 6 * s); a61.intoArray(y, yOff + 6 * s + L);
            a70.intoArray(y, yOff + 7 * s); a71.intoArray(y, yOff + 7 * s + L);
            return;
        }
        // an edge tile (channels past K, or a plane's last rows): through the buffer, valid part only
        int w = 2 * L;
        a00.intoArray(last, 0); a01.intoArray(last, L); a10.intoArray(last, w); a11.intoArray(last, w + L);
        a20.intoArray(last, 2 * w); a21.intoArray(last, 2 * w + L); a30.intoArray(last, 3 * w); a31.intoArray(last, 3 * w + L);
        a40.intoArray(last, 4 * w); a41.intoArray(last, 4 * w + L); a50.intoArray(last, 5 * w); a51.intoArray(last, 5 * w + L);
        a60.intoArray(last, 6 * w); a61.intoArray(last, 6 * w + L); a70.intoArray(last, 7 * w); a71.intoArray(last, 7 * w + L);
        for (int row = 0; row < rows; row++) System.arraycopy(last, row * w, y, yOff + row * kStride, Math.min(valid, w));
    }
}
