package org.jgrad.core.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward of a convolution of images with few channels (a first layer on grey or RGB images),
 * stride 1, computed directly: no im2col matrix, no GEMM packing. Only touched when
 * {@link Simd#ENABLED}.
 *
 * <p>Each image is copied S times, shifted left by s·dilW columns and cut to rows of Q floats, with
 * zero borders: {@code x_s[c][row][q] = xpad[c][row][q + s·dilW]} ({@code Hp = H + 2·padH} rows).
 * Output (p, q) at the flat index i = p·Q + q then reads, for tap (c, r, s), {@code x_s[c]} at the
 * flat index {@code i + r·dilH·Q}: consecutive outputs are consecutive floats for every tap, across
 * row ends too, so a vector of outputs is one unaligned load per tap and no lane is spent on the
 * padding columns. The register tile is 8 output channels × 2 vectors of outputs: per tap two
 * loads, eight broadcast weights, sixteen FMAs, over all C·R·S taps without leaving registers.
 * With K = 25 taps (the reference CNN's 1→32 layer) a GEMM reloads its C tile every 25 steps and
 * packs both operands around them; here nothing moves but the image and the result.
 *
 * <p>Each output is {@code bias} (or 0) then one fma per tap in (c, r, s) order — the same chain as
 * the GEMM of the image-by-image path, so the same bits. Measured on the reference CNN's first
 * layer (64 × 1 × 28 × 28 → 32 channels, 5 × 5, JDK 17, one thread): 0.84–0.87 ms through
 * im2col and the GEMM, 0.57 ms here (Zen 5).
 *
 * <p>The weight gradient ({@link #backwardWeight}) reduces over the outputs instead, on the same
 * copies: {@code dw[k][c][r][s] = Σ_i dy[k][i] · x_s[c][i + r·dilH·Q]}, dy read where it lies (a
 * layout with padded rows needs a padded copy of dy and 14 % more products, and measured no faster
 * than the GEMM path: 1.6 against 1.4–1.6 ms, Zen 5). The register tile is 4 output channels × 5
 * taps (20 vector accumulators): per step four loads of dy, five of the copies, twenty FMAs.
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

    /** Floats of the shifted copies of one image, with the slack a last vector pair reads past them. */
    private static int shiftedSize(ConvGeometry g) {
        return g.s * g.c * (g.h + 2 * g.padH) * g.q + 2 * L;
    }

    /**
     * Where each of {@code slots} taps t = (c·R + r)·S + s starts in the shifted copies (its copy s,
     * channel c, row r·dilH); slots past the last tap repeat it.
     */
    private static int[] tapOffsets(ConvGeometry g, int slots) {
        int hp = g.h + 2 * g.padH, taps = g.c * g.r * g.s;
        int[] at = new int[slots];
        for (int t = 0; t < slots; t++) {
            int tap = Math.min(t, taps - 1), c = tap / (g.r * g.s), r = tap / g.s % g.r, s = tap % g.s;
            at[t] = ((s * g.c + c) * hp + r * g.dilH) * g.q;
        }
        return at;
    }

    /** Same contract as {@link Conv2dKernel#forward}, for a geometry this kernel {@link #handles}. */
    static void forward(ConvGeometry g, float[] x, int offX, float[] w, int offW, float[] bias, int offBias,
                        float[] y, int offY) {
        int taps = g.c * g.r * g.s, kp = (g.k + KT - 1) / KT * KT, pq = g.p * g.q;
        int[] offsets = tapOffsets(g, taps);
        // wt[t·Kp + k] = w[k][c][r][s], t = (c·R + r)·S + s; channels past K are zero
        float[] wt = new float[taps * kp];
        for (int k = 0; k < g.k; k++)
            for (int t = 0; t < taps; t++) wt[t * kp + k] = w[offW + k * taps + t];
        float[] b = new float[kp];
        if (bias != null) System.arraycopy(bias, offBias, b, 0, g.k);
        int inPer = g.inputSize(), outPer = g.outputSize();
        Loops.forRange(g.n, 1, (from, to) -> {
            float[] shifted = PLANES.take(shiftedSize(g));
            float[] last = new float[KT * 2 * L];
            try {
                for (int n = from; n < to; n++) {
                    shift(g, x, offX + n * inPer, shifted);
                    for (int k0 = 0; k0 < g.k; k0 += KT) {
                        for (int i0 = 0; i0 < pq; i0 += 2 * L) {
                            tile(taps, shifted, i0, offsets, wt, kp, k0, b, y, offY + n * outPer + k0 * pq + i0, pq,
                                    Math.min(KT, g.k - k0), pq - i0, i0 + 2 * L <= pq, last);
                        }
                    }
                }
            } finally {
                PLANES.give(shifted);
            }
        });
    }

    /**
     * One tile: {@code rows} output channels from k0 (at most 8) × the 2 vectors of outputs from the
     * flat index {@code base}, over every tap. Stored at {@code y[yOff + j·kStride + u]} for u below
     * {@code valid}: straight from the registers when all 2L outputs {@code fit} in the plane and
     * there are 8 channels, else (the plane's last outputs, channels past K) through {@code last}
     * (8 × 2L floats).
     */
    private static void tile(int taps, float[] shifted, int base, int[] offsets, float[] wt, int kp, int k0, float[] b,
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
            FloatVector x0 = FloatVector.fromArray(F, shifted, o), x1 = FloatVector.fromArray(F, shifted, o + L);
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
        // an edge tile (channels past K, or the plane's last outputs): through the buffer, valid part only
        int w = 2 * L;
        a00.intoArray(last, 0); a01.intoArray(last, L); a10.intoArray(last, w); a11.intoArray(last, w + L);
        a20.intoArray(last, 2 * w); a21.intoArray(last, 2 * w + L); a30.intoArray(last, 3 * w); a31.intoArray(last, 3 * w + L);
        a40.intoArray(last, 4 * w); a41.intoArray(last, 4 * w + L); a50.intoArray(last, 5 * w); a51.intoArray(last, 5 * w + L);
        a60.intoArray(last, 6 * w); a61.intoArray(last, 6 * w + L); a70.intoArray(last, 7 * w); a71.intoArray(last, 7 * w + L);
        for (int row = 0; row < rows; row++) System.arraycopy(last, row * w, y, yOff + row * kStride, Math.min(valid, w));
    }

    /** Output channels and taps per weight-gradient tile. */
    private static final int WK = 4, WT = 5;

    /**
     * {@code out[at + k·C·R·S + (c·R + r)·S + s] = Σ_n Σ_(p,q) dy[n][k][p][q] · x[n][c][p − padH +
     * r·dilH][q − padW + s·dilW]} over the images {@code [from, to)} (at least one), for a geometry
     * this kernel {@link #handles}. Each element is summed in L lanes — lane l takes the flat pixels
     * i ≡ l (mod L) of the images in order, the last {@code P·Q mod L} pixels added lane by lane —
     * and the lanes are then added in lane order: a fixed order, whoever runs the call.
     */
    static void backwardWeight(ConvGeometry g, float[] x, int offX, float[] dy, int offDy, int from, int to, float[] out, int at) {
        int pq = g.p * g.q, taps = g.c * g.r * g.s, end = pq - pq % L;
        int kTiles = (g.k + WK - 1) / WK, tTiles = (taps + WT - 1) / WT, tileSize = WK * WT * L;
        // slots past the last tap or output channel repeat it, and their sums are dropped
        int[] tapAt = tapOffsets(g, tTiles * WT);
        int[] rows = new int[WK];                                   // the tile's dy rows
        float[] shifted = PLANES.take(shiftedSize(g));
        float[] lanes = PLANES.take(kTiles * tTiles * tileSize);
        try {
            Arrays.fill(lanes, 0, kTiles * tTiles * tileSize, 0f);
            for (int n = from; n < to; n++) {
                shift(g, x, offX + n * g.inputSize(), shifted);
                int d = offDy + n * g.outputSize();
                for (int kt = 0; kt < kTiles; kt++) {
                    for (int j = 0; j < WK; j++) rows[j] = d + Math.min(kt * WK + j, g.k - 1) * pq;
                    for (int tt = 0; tt < tTiles; tt++) {
                        int t0 = tt * WT, o = (kt * tTiles + tt) * tileSize;
                        weightTile(dy, rows[0], rows[1], rows[2], rows[3], shifted,
                                tapAt[t0], tapAt[t0 + 1], tapAt[t0 + 2], tapAt[t0 + 3], tapAt[t0 + 4], end, lanes, o);
                        // the last P·Q mod L pixels, pixel end + l into lane l
                        for (int j = 0; j < WK * WT; j++) {
                            int dRow = rows[j / WT], xRow = tapAt[t0 + j % WT], lane = o + j * L - end;
                            for (int i = end; i < pq; i++) lanes[lane + i] = Math.fma(dy[dRow + i], shifted[xRow + i], lanes[lane + i]);
                        }
                    }
                }
            }
            for (int k = 0; k < g.k; k++) {
                for (int t = 0; t < taps; t++) {
                    int o = ((k / WK * tTiles + t / WT) * WK * WT + k % WK * WT + t % WT) * L;
                    float sum = 0;
                    for (int l = 0; l < L; l++) sum += lanes[o + l];
                    out[at + k * taps + t] = sum;
                }
            }
        } finally {
            PLANES.give(shifted);
            PLANES.give(lanes);
        }
    }

    /** The S shifted copies of one image: {@code shifted[((s·C + c)·Hp + row)·Q + q] = xpad[c][row][q + s·dilW]}. */
    private static void shift(ConvGeometry g, float[] x, int offX, float[] shifted) {
        int hp = g.h + 2 * g.padH;
        for (int s = 0; s < g.s; s++) {
            // the columns q whose source column q + s·dilW − padW lies inside the image
            int qLo = Math.min(g.q, Math.max(0, g.padW - s * g.dilW)), qHi = Math.max(qLo, Math.min(g.q, g.w + g.padW - s * g.dilW));
            for (int c = 0; c < g.c; c++) {
                for (int row = 0; row < hp; row++) {
                    int dst = ((s * g.c + c) * hp + row) * g.q, h = row - g.padH;
                    if (h < 0 || h >= g.h || qLo == qHi) {
                        Arrays.fill(shifted, dst, dst + g.q, 0f);
                        continue;
                    }
                    Arrays.fill(shifted, dst, dst + qLo, 0f);
                    System.arraycopy(x, offX + (c * g.h + h) * g.w + qLo + s * g.dilW - g.padW, shifted, dst + qLo, qHi - qLo);
                    Arrays.fill(shifted, dst + qHi, dst + g.q, 0f);
                }
            }
        }
    }

    /**
     * One weight-gradient tile: the lane sums of 4 output channels (dy rows at d0..d3) × 5 taps
     * (shifted copies at x0..x4) over the flat pixels [0, end), added to {@code acc[o ..]} (20 × L
     * floats, channel-major). Written out accumulator by accumulator (see {@link #tile}).
     */
    private static void weightTile(float[] dy, int d0, int d1, int d2, int d3, float[] xs, int x0, int x1, int x2, int x3, int x4,
                                   int end, float[] acc, int o) {
        FloatVector a00 = FloatVector.fromArray(F, acc, o), a01 = FloatVector.fromArray(F, acc, o + L);
        FloatVector a02 = FloatVector.fromArray(F, acc, o + 2 * L), a03 = FloatVector.fromArray(F, acc, o + 3 * L);
        FloatVector a04 = FloatVector.fromArray(F, acc, o + 4 * L), a10 = FloatVector.fromArray(F, acc, o + 5 * L);
        FloatVector a11 = FloatVector.fromArray(F, acc, o + 6 * L), a12 = FloatVector.fromArray(F, acc, o + 7 * L);
        FloatVector a13 = FloatVector.fromArray(F, acc, o + 8 * L), a14 = FloatVector.fromArray(F, acc, o + 9 * L);
        FloatVector a20 = FloatVector.fromArray(F, acc, o + 10 * L), a21 = FloatVector.fromArray(F, acc, o + 11 * L);
        FloatVector a22 = FloatVector.fromArray(F, acc, o + 12 * L), a23 = FloatVector.fromArray(F, acc, o + 13 * L);
        FloatVector a24 = FloatVector.fromArray(F, acc, o + 14 * L), a30 = FloatVector.fromArray(F, acc, o + 15 * L);
        FloatVector a31 = FloatVector.fromArray(F, acc, o + 16 * L), a32 = FloatVector.fromArray(F, acc, o + 17 * L);
        FloatVector a33 = FloatVector.fromArray(F, acc, o + 18 * L), a34 = FloatVector.fromArray(F, acc, o + 19 * L);
        for (int i = 0; i < end; i += L) {
            FloatVector y0 = FloatVector.fromArray(F, dy, d0 + i), y1 = FloatVector.fromArray(F, dy, d1 + i);
            FloatVector y2 = FloatVector.fromArray(F, dy, d2 + i), y3 = FloatVector.fromArray(F, dy, d3 + i), v;
            v = FloatVector.fromArray(F, xs, x0 + i); a00 = y0.fma(v, a00); a10 = y1.fma(v, a10); a20 = y2.fma(v, a20); a30 = y3.fma(v, a30);
            v = FloatVector.fromArray(F, xs, x1 + i); a01 = y0.fma(v, a01); a11 = y1.fma(v, a11); a21 = y2.fma(v, a21); a31 = y3.fma(v, a31);
            v = FloatVector.fromArray(F, xs, x2 + i); a02 = y0.fma(v, a02); a12 = y1.fma(v, a12); a22 = y2.fma(v, a22); a32 = y3.fma(v, a32);
            v = FloatVector.fromArray(F, xs, x3 + i); a03 = y0.fma(v, a03); a13 = y1.fma(v, a13); a23 = y2.fma(v, a23); a33 = y3.fma(v, a33);
            v = FloatVector.fromArray(F, xs, x4 + i); a04 = y0.fma(v, a04); a14 = y1.fma(v, a14); a24 = y2.fma(v, a24); a34 = y3.fma(v, a34);
        }
        // through an exact-class sum (0 + a, the same bits): see VectorBlockedConv's tile
        FloatVector z = FloatVector.zero(F);
        z.add(a00).intoArray(acc, o); z.add(a01).intoArray(acc, o + L);
        z.add(a02).intoArray(acc, o + 2 * L); z.add(a03).intoArray(acc, o + 3 * L);
        z.add(a04).intoArray(acc, o + 4 * L); z.add(a10).intoArray(acc, o + 5 * L);
        z.add(a11).intoArray(acc, o + 6 * L); z.add(a12).intoArray(acc, o + 7 * L);
        z.add(a13).intoArray(acc, o + 8 * L); z.add(a14).intoArray(acc, o + 9 * L);
        z.add(a20).intoArray(acc, o + 10 * L); z.add(a21).intoArray(acc, o + 11 * L);
        z.add(a22).intoArray(acc, o + 12 * L); z.add(a23).intoArray(acc, o + 13 * L);
        z.add(a24).intoArray(acc, o + 14 * L); z.add(a30).intoArray(acc, o + 15 * L);
        z.add(a31).intoArray(acc, o + 16 * L); z.add(a32).intoArray(acc, o + 17 * L);
        z.add(a33).intoArray(acc, o + 18 * L); z.add(a34).intoArray(acc, o + 19 * L);
    }
}
