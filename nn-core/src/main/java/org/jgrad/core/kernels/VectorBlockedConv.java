package org.jgrad.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward of a convolution straight from images in a blocked layout, no patch packing: the
 * design of oneDNN's direct convolution. Only touched when {@link Simd#ENABLED} with 16-lane
 * vectors.
 *
 * <p>The padded input is kept as blocks of 16 channels, pixel-major inside a block
 * ({@code xb[n][c / 16][h][w][c % 16]}, "nChw16c"): {@link Conv2dKernel#toChannelsLast} of the
 * batch read as N·C/16 images of 16 channels. The register tile is one run of {@value #TILE}
 * output pixels of a row × 32 output channels (28 accumulators): for each tap (r, s) and input
 * channel c it loads the 32 weights of c as two vectors and broadcasts the tap's input under
 * each of the 14 pixels. Those 14 inputs lie 16 floats apart from one base, so their offsets are
 * constants in the compiled code (a GEMM reading patches in place needed a base register per row
 * and spilled: 128 against 211 GFLOPS); the packed GEMM instead copies every patch first, 10 M
 * floats per forward of the reference CNN's 32→64 layer. Measured on that layer (batch 64, 14×14,
 * Zen 4, JDK 17, one thread): the kernel alone 115 GFLOPS against 93 for the whole GEMM path; the
 * whole forward 13.6 → 11.9 ms. The input gradient, computed as the forward of the adjoint
 * convolution ({@link Conv2dKernel#backwardInput}), takes this kernel too: 14.8 → 12.3 ms. (The
 * weight gradient has a direct kernel of its own, {@link VectorTapWeightGradient}.)
 *
 * <p>Each output is one fma chain from zero over the taps in (r, s, c) order, then the bias — the
 * GEMM path's chain ({@link Patches}' column order, {@link Conv2dKernel#channelsFirst}'s bias), so
 * both paths give the same bits; a tile is computed by one thread, so the thread count changes
 * nothing. Window rows that fall in the padding are skipped: their products are zeros, which leave
 * a chain that starts at +0 unchanged, as oneDNN's direct kernel does (its "136 GFLOPS" on that
 * layer counts them; the FMA peak of this Zen 4 core is 117). That is 1 − (64/70) of the layer's
 * FMAs, 12.2 → 11.4 ms for its forward. Columns in the padding are still computed: skipping them
 * per pixel inside the tile made C2 box the accumulators (79 ms).
 */
final class VectorBlockedConv {

    private static final VectorSpecies<Float> F = VectorSupport.F;
    /** Output pixels per register tile: a row of the reference CNN's 14 × 14 maps, half of a 28 × 28 one. */
    static final int TILE = 14;
    /** Channels per block of the layout (the lanes of a vector) and output channels per tile. */
    private static final int CB = 16, KT = 32;

    private VectorBlockedConv() {}

    /**
     * Whether this kernel computes the geometry: 16-lane vectors, one group, stride 1, whole
     * channel blocks (C a multiple of 16, K of 32) and rows of whole tiles (Q a multiple of 14).
     */
    static boolean handles(ConvGeometry g) {
        return F.length() == CB && g.groups == 1 && g.strideH == 1 && g.strideW == 1
                && g.c % CB == 0 && g.k % KT == 0 && g.q % TILE == 0 && g.n > 0 && g.p > 0;
    }

    /** {@code y = conv(x, w) + b}, same contract as {@link Conv2dKernel#forward} (checked there). */
    static void forward(ConvGeometry g, float[] x, int offX, float[] w, int offW, float[] bias, int offBias, float[] y, int offY) {
        int blocks = g.c / CB, hp = g.h + 2 * g.padH, wp = g.w + 2 * g.padW, pq = g.p * g.q;
        int kBlocks = g.k / KT;
        // the copies come from the GEMM path's pools (the same sizes: its channels-last image and
        // tap-ordered weights), so a layer whose passes take both paths keeps one set
        float[] xb = Conv2dKernel.LAYOUTS.take(Conv2dKernel.paddedSize(g));
        float[] wb = Conv2dKernel.LAYOUTS.take(g.weightSize());
        try {
            Conv2dKernel.toChannelsLast(x, offX, g.n * blocks, CB, g.h, g.w, g.padH, g.padW, xb);
            Conv2dKernel.weightsInTapOrder(g, w, offW, wb, g.c * g.k, 1, g.k);      // [R·S·C, K], as the GEMM path's
            // where each (r, s, channel block) of the window starts, from the window's corner in block 0
            int[] corners = new int[g.r * g.s * blocks];
            for (int r = 0, t = 0; r < g.r; r++)
                for (int s = 0; s < g.s; s++)
                    for (int cb = 0; cb < blocks; cb++) corners[t++] = ((cb * hp + r * g.dilH) * wp + s * g.dilW) * CB;
            MatrixSink sink = Conv2dKernel.channelsFirst(g.k, pq, bias, offBias, y, offY);
            Loops.forChunks(g.n * kBlocks, task -> {
                int n = task / kBlocks, kb = task % kBlocks;
                float[] out = Conv2dKernel.COLUMNS.take(pq * KT);
                try {
                    for (int p = 0; p < g.p; p++) {
                        // the window rows r that read real input rows (padded row p + r·dilH in
                        // [padH, padH + H)): the others only add products with zero, exactly nothing
                        int rFrom = rowsBefore(g.padH - p, g.dilH, g.r), rTo = rowsBefore(g.padH + g.h - p, g.dilH, g.r);
                        int tFrom = rFrom * g.s * blocks, tTo = Math.max(tFrom, rTo * g.s * blocks);
                        for (int q0 = 0; q0 < g.q; q0 += TILE) {
                            int xBase = ((n * blocks * hp + p) * wp + q0) * CB;
                            tile(corners, tFrom, tTo, xb, xBase, wb, kb * KT + tFrom * CB * g.k, g.k, out, (p * g.q + q0) * KT);
                        }
                    }
                    sink.store(n * pq, pq, kb * KT, KT, out, 0, KT);
                } finally {
                    Conv2dKernel.COLUMNS.give(out);
                }
            });
        } finally {
            Conv2dKernel.LAYOUTS.give(xb);
            Conv2dKernel.LAYOUTS.give(wb);
        }
    }

    /** How many of the window rows 0, dil, 2·dil, … (at most {@code r}) lie before {@code limit}. */
    private static int rowsBefore(int limit, int dil, int r) {
        return limit <= 0 ? 0 : Math.min(r, (limit + dil - 1) / dil);
    }

    /**
     * One tile: output pixels [q0, q0 + 14) of a row × 32 output channels, over the taps whose
     * corners are {@code corners[tFrom .. tTo)} (whole window rows), from the blocked image at
     * {@code xb[xBase ..]} (the window corner of the tile's first pixel in channel block 0) and the
     * weights [R·S·C, K] from {@code wb[wOff ..]} (tap tFrom's first row); stored pixel-major, 32 channels per
     * pixel, at {@code out[o ..]}. Written out accumulator by accumulator: selecting them by
     * index makes C2 box them (see {@link VectorGemm}).
     */
    private static void tile(int[] corners, int tFrom, int tTo, float[] xb, int xBase, float[] wb, int wOff, int kStride, float[] out, int o) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51, a60, a61, a70, a71, a80, a81, a90, a91, a100, a101, a110, a111, a120, a121, a130, a131;
        a00 = FloatVector.zero(F); a01 = FloatVector.zero(F);
        a10 = FloatVector.zero(F); a11 = FloatVector.zero(F);
        a20 = FloatVector.zero(F); a21 = FloatVector.zero(F);
        a30 = FloatVector.zero(F); a31 = FloatVector.zero(F);
        a40 = FloatVector.zero(F); a41 = FloatVector.zero(F);
        a50 = FloatVector.zero(F); a51 = FloatVector.zero(F);
        a60 = FloatVector.zero(F); a61 = FloatVector.zero(F);
        a70 = FloatVector.zero(F); a71 = FloatVector.zero(F);
        a80 = FloatVector.zero(F); a81 = FloatVector.zero(F);
        a90 = FloatVector.zero(F); a91 = FloatVector.zero(F);
        a100 = FloatVector.zero(F); a101 = FloatVector.zero(F);
        a110 = FloatVector.zero(F); a111 = FloatVector.zero(F);
        a120 = FloatVector.zero(F); a121 = FloatVector.zero(F);
        a130 = FloatVector.zero(F); a131 = FloatVector.zero(F);
        int wi = wOff;
        // One loop over the window's (r, s, channel block) corners and one over the 16 channels of
        // a block: with r, s and the block as three nested loops C2 kept the accumulators boxed
        // (5 against 113 GFLOPS).
        for (int t = tFrom; t < tTo; t++) {
            int x0 = xBase + corners[t];
            for (int c = 0; c < CB; c++, wi += kStride) {
                int x = x0 + c;
                FloatVector w0 = FloatVector.fromArray(F, wb, wi), w1 = FloatVector.fromArray(F, wb, wi + CB), b;
                b = FloatVector.broadcast(F, xb[x + 0]); a00 = b.fma(w0, a00); a01 = b.fma(w1, a01);
                b = FloatVector.broadcast(F, xb[x + 16]); a10 = b.fma(w0, a10); a11 = b.fma(w1, a11);
                b = FloatVector.broadcast(F, xb[x + 32]); a20 = b.fma(w0, a20); a21 = b.fma(w1, a21);
                b = FloatVector.broadcast(F, xb[x + 48]); a30 = b.fma(w0, a30); a31 = b.fma(w1, a31);
                b = FloatVector.broadcast(F, xb[x + 64]); a40 = b.fma(w0, a40); a41 = b.fma(w1, a41);
                b = FloatVector.broadcast(F, xb[x + 80]); a50 = b.fma(w0, a50); a51 = b.fma(w1, a51);
                b = FloatVector.broadcast(F, xb[x + 96]); a60 = b.fma(w0, a60); a61 = b.fma(w1, a61);
                b = FloatVector.broadcast(F, xb[x + 112]); a70 = b.fma(w0, a70); a71 = b.fma(w1, a71);
                b = FloatVector.broadcast(F, xb[x + 128]); a80 = b.fma(w0, a80); a81 = b.fma(w1, a81);
                b = FloatVector.broadcast(F, xb[x + 144]); a90 = b.fma(w0, a90); a91 = b.fma(w1, a91);
                b = FloatVector.broadcast(F, xb[x + 160]); a100 = b.fma(w0, a100); a101 = b.fma(w1, a101);
                b = FloatVector.broadcast(F, xb[x + 176]); a110 = b.fma(w0, a110); a111 = b.fma(w1, a111);
                b = FloatVector.broadcast(F, xb[x + 192]); a120 = b.fma(w0, a120); a121 = b.fma(w1, a121);
                b = FloatVector.broadcast(F, xb[x + 208]); a130 = b.fma(w0, a130); a131 = b.fma(w1, a131);
            }
        }
        // Stored as 0 + a (the same bits: an accumulator is never −0): the loop's accumulators reach
        // here as phis whose exact vector class C2 (JDK 17) takes from intoArray's shared type
        // profile, and in about one JVM in six it failed for the last few, boxing them in the loop:
        // the input gradient of the 32→64 layer ran at 34–50 ms instead of 12. A sum's class is exact.
        FloatVector z = FloatVector.zero(F);
        z.add(a00).intoArray(out, o + 0); z.add(a01).intoArray(out, o + 16);
        z.add(a10).intoArray(out, o + 32); z.add(a11).intoArray(out, o + 48);
        z.add(a20).intoArray(out, o + 64); z.add(a21).intoArray(out, o + 80);
        z.add(a30).intoArray(out, o + 96); z.add(a31).intoArray(out, o + 112);
        z.add(a40).intoArray(out, o + 128); z.add(a41).intoArray(out, o + 144);
        z.add(a50).intoArray(out, o + 160); z.add(a51).intoArray(out, o + 176);
        z.add(a60).intoArray(out, o + 192); z.add(a61).intoArray(out, o + 208);
        z.add(a70).intoArray(out, o + 224); z.add(a71).intoArray(out, o + 240);
        z.add(a80).intoArray(out, o + 256); z.add(a81).intoArray(out, o + 272);
        z.add(a90).intoArray(out, o + 288); z.add(a91).intoArray(out, o + 304);
        z.add(a100).intoArray(out, o + 320); z.add(a101).intoArray(out, o + 336);
        z.add(a110).intoArray(out, o + 352); z.add(a111).intoArray(out, o + 368);
        z.add(a120).intoArray(out, o + 384); z.add(a121).intoArray(out, o + 400);
        z.add(a130).intoArray(out, o + 416); z.add(a131).intoArray(out, o + 432);
    }
}
