package org.jgrad.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API max pooling for the layer every CNN has: 2×2 windows, stride 2, no padding. Only
 * touched when {@link Simd#ENABLED}; the scalar {@link ScalarPool#maxRow} is its oracle. A row's last
 * partial vector runs the same steps (short rows, 14 outputs for a 28×28 image, would otherwise
 * be all tail), storing through a scratch vector where a full store would leave the plane.
 *
 * <p>Per output row, two input rows are read a vector pair at a time; a two-vector shuffle splits
 * each pair into its even and odd columns. The left/right candidates of each row are combined
 * first, then top against bottom: that visits the window in row-major order, so the rule of
 * the scalar kernel holds exactly — the first NaN wins, else the first maximum. The later of
 * two candidates wins where the earlier is a number and the later is not ≤ it (no IS_NAN test,
 * which JDK 17 does not compile to one instruction).
 *
 * <p>Everything is written out in the one method, without vector-valued helpers (a helper the
 * JIT declines to inline boxes its vectors). The row's last vector repeats the body's steps
 * rather than calling a shared window helper: with the helper (array arguments only) the forward
 * measured 6 % slower on one thread (389 vs 366 µs, JMH, JDK 17). Until C2 compiles it, this method runs 100–200×
 * slower than compiled (Vector API code in the interpreter and C1 allocates every vector), so
 * benchmarks must warm it up by call count, not only by time.
 */
final class VectorPool {

    private static final VectorSpecies<Float> F = VectorSupport.F;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    /*
     * Even / odd elements of the concatenation (a, b): lanes below L/2 come from a, the rest from
     * b. Built from one-vector shuffles and a constant blend mask: the two-vector rearrange of
     * JDK 17 recomputes its wrapped shuffle and valid-lane mask on every call (4× slower here).
     */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, i -> (2 * i) % L);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(F, i -> (2 * i + 1) % L);
    private static final VectorMask<Float> UPPER = F.indexInRange(0, L / 2).not();
    private static final IntVector TWICE_LANE = IntVector.fromArray(I, twiceLane(), 0);

    private VectorPool() {}

    private static int[] twiceLane() {
        int[] a = new int[L];
        for (int i = 0; i < L; i++) a[i] = 2 * i;
        return a;
    }

    /** Whether {@link #maxPool2x2} applies to this geometry. */
    static boolean handles(PoolGeometry g) {
        return g.kH == 2 && g.kW == 2 && g.strideH == 2 && g.strideW == 2 && g.padH == 0 && g.padW == 0;
    }

    /** Planes {@code [from, to)}; same contract as {@link Pool#maxPool2d}. */
    static void maxPool2x2(PoolGeometry g, int from, int to, float[] x, int offX, float[] y, int offY,
                           int[] argmax, int offArg) {
        int w = g.w, p = g.p, q = g.q, hw = g.h * w;
        int bound = q - q % L, rest = q - bound;
        // A row's last vector goes through these when it cannot spill into the next row: JDK 17
        // runs masked stores (and loads) in Java, not as instructions — 6× slower pooling there.
        float[] lastY = new float[L];
        int[] lastArg = new int[L];
        for (int plane = from; plane < to; plane++) {
            for (int pi = 0; pi < p; pi++) {
                int rowIdx = 2 * pi * w;                   // index of the top row inside the plane
                int top = offX + plane * hw + rowIdx;
                int out = offY + (plane * p + pi) * q;
                int ao = offArg + (plane * p + pi) * q;
                for (int qi = 0; qi < bound; qi += L) {
                    int t = top + 2 * qi, b = t + w;
                    FloatVector t0 = FloatVector.fromArray(F, x, t), t1 = FloatVector.fromArray(F, x, t + L);
                    FloatVector b0 = FloatVector.fromArray(F, x, b), b1 = FloatVector.fromArray(F, x, b + L);
                    FloatVector tl = t0.rearrange(EVEN).blend(t1.rearrange(EVEN), UPPER), tr = t0.rearrange(ODD).blend(t1.rearrange(ODD), UPPER);
                    FloatVector bl = b0.rearrange(EVEN).blend(b1.rearrange(EVEN), UPPER), br = b0.rearrange(ODD).blend(b1.rearrange(ODD), UPPER);
                    VectorMask<Float> mt = tr.compare(VectorOperators.LE, tl).not().and(tl.compare(VectorOperators.EQ, tl));
                    VectorMask<Float> mb = br.compare(VectorOperators.LE, bl).not().and(bl.compare(VectorOperators.EQ, bl));
                    FloatVector tm = tl.blend(tr, mt), bm = bl.blend(br, mb);
                    VectorMask<Float> m = bm.compare(VectorOperators.LE, tm).not().and(tm.compare(VectorOperators.EQ, tm));
                    tm.blend(bm, m).intoArray(y, out + qi);
                    if (argmax != null) {
                        IntVector left = TWICE_LANE.add(rowIdx + 2 * qi);
                        IntVector ti = left.add(1, mt.cast(I));
                        IntVector bi = left.add(w).add(1, mb.cast(I));
                        ti.blend(bi, m.cast(I)).intoArray(argmax, ao + qi);
                    }
                }
                if (rest > 0) {
                    // same steps; lanes past the row are read but never stored. Full loads may run
                    // past the row, not past the array: the very last rows go to the scalar kernel
                    // (masked loads, or a vector chosen between a masked and a full load, run as
                    // Java calls on JDK 17, not as instructions).
                    int t = top + 2 * bound, b = t + w;
                    if (b + 2 * L > x.length) {
                        ScalarPool.maxRow(g, plane, pi, bound, x, offX, y, offY, argmax, offArg);
                        continue;
                    }
                    FloatVector t0 = FloatVector.fromArray(F, x, t), t1 = FloatVector.fromArray(F, x, t + L);
                    FloatVector b0 = FloatVector.fromArray(F, x, b), b1 = FloatVector.fromArray(F, x, b + L);
                    FloatVector tl = t0.rearrange(EVEN).blend(t1.rearrange(EVEN), UPPER), tr = t0.rearrange(ODD).blend(t1.rearrange(ODD), UPPER);
                    FloatVector bl = b0.rearrange(EVEN).blend(b1.rearrange(EVEN), UPPER), br = b0.rearrange(ODD).blend(b1.rearrange(ODD), UPPER);
                    VectorMask<Float> mt = tr.compare(VectorOperators.LE, tl).not().and(tl.compare(VectorOperators.EQ, tl));
                    VectorMask<Float> mb = br.compare(VectorOperators.LE, bl).not().and(bl.compare(VectorOperators.EQ, bl));
                    FloatVector tm = tl.blend(tr, mt), bm = bl.blend(br, mb);
                    VectorMask<Float> m = bm.compare(VectorOperators.LE, tm).not().and(tm.compare(VectorOperators.EQ, tm));
                    // A full store is safe when its extra lanes stay inside this plane: they land in
                    // later output rows of the plane, which are written after it (for narrow rows,
                    // q < L, several of them). Else the vector goes to a scratch array and its valid
                    // lanes are copied.
                    boolean spill = pi * q + bound + L <= p * q;
                    FloatVector best = tm.blend(bm, m);
                    if (spill) {
                        best.intoArray(y, out + bound);
                    } else {
                        best.intoArray(lastY, 0);
                        System.arraycopy(lastY, 0, y, out + bound, rest);
                    }
                    if (argmax != null) {
                        IntVector left = TWICE_LANE.add(rowIdx + 2 * bound);
                        IntVector ti = left.add(1, mt.cast(I));
                        IntVector bi = left.add(w).add(1, mb.cast(I));
                        IntVector at = ti.blend(bi, m.cast(I));
                        if (spill) {
                            at.intoArray(argmax, ao + bound);
                        } else {
                            at.intoArray(lastArg, 0);
                            System.arraycopy(lastArg, 0, argmax, ao + bound, rest);
                        }
                    }
                }
            }
        }
    }
}
