package org.jgrad.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 16 × 16 block of floats transposed in vector registers, for the packing routines that read
 * an operand transposed ({@link VectorGemm}), a product computed transposed, and the convolution's
 * layout changes ({@link Conv2dKernel}); {@link #matrix} transposes a whole matrix with it. Copying floats one by one across rows costs a load
 * and a store per float plus the index arithmetic: 0.38–0.41 ns per float for a 512 × 784 weight
 * (Zen 5, JDK 17), five times a plain copy of the same data (0.075); this block transpose takes
 * 0.22–0.25.
 *
 * <p>Sixteen rows are loaded as 16 vectors and transposed in four stages, b = 1, 2, 4, 8: in
 * each, vectors v[i] and v[i + b] (bit b of i clear) swap their off-diagonal b × b sub-blocks —
 * lanes with bit b set in v[i] take v[i + b]'s lanes b places lower, and the lanes with bit b
 * clear in v[i + b] take v[i]'s lanes b places higher: a permute and a blend for each. After the
 * four stages v[i] holds column i. Only for 16-lane vectors (512 bits), the width of the CPUs this
 * library is tuned for; {@link #available()} says whether it applies, and the callers copy floats
 * one by one otherwise. All in one method on purpose: vectors passed between methods the JIT does
 * not inline are boxed.
 */
final class Transpose16 {

    private static final VectorSpecies<Float> F = VectorSupport.F;
    private static final boolean AVAILABLE = F.length() == 16;

    // Stage b: UP_b moves lanes b places up (lane l takes l − b where bit b of l is set), DOWN_b
    // moves them b places down (lane l takes l + b where bit b is clear); M_b marks the lanes with bit b set.
    private static final VectorShuffle<Float> UP1 = shuffle(1, true), UP2 = shuffle(2, true), UP4 = shuffle(4, true), UP8 = shuffle(8, true);
    private static final VectorShuffle<Float> DN1 = shuffle(1, false), DN2 = shuffle(2, false), DN4 = shuffle(4, false), DN8 = shuffle(8, false);
    private static final VectorMask<Float> M1 = mask(1), M2 = mask(2), M4 = mask(4), M8 = mask(8);

    private Transpose16() {}

    /** Whether {@link #block} can run: the species has 16 lanes. */
    static boolean available() {
        return AVAILABLE;
    }

    private static VectorShuffle<Float> shuffle(int b, boolean up) {
        if (!AVAILABLE) return null;
        int[] index = new int[16];
        for (int l = 0; l < 16; l++) {
            boolean set = (l & b) != 0;
            index[l] = up ? (set ? l - b : l) : (set ? l : l + b);
        }
        return VectorShuffle.fromArray(F, index, 0);
    }

    private static VectorMask<Float> mask(int b) {
        if (!AVAILABLE) return null;
        boolean[] set = new boolean[16];
        for (int l = 0; l < 16; l++) set[l] = (l & b) != 0;
        return VectorMask.fromArray(F, set, 0);
    }

    /**
     * {@code dst[offDst + j·ldDst + i] = src[off + i·ld + j]}: a rows × cols matrix transposed, in
     * 16 × 16 blocks in registers where the vectors have 16 lanes, the rest float by float in
     * blocks that stay in L1 (any species).
     *
     * @param src the matrix, row stride {@code ld}
     * @param off where it starts in {@code src}
     * @param ld its row stride
     * @param rows its rows
     * @param cols its columns
     * @param dst the transpose, row stride {@code ldDst}
     * @param offDst where the transpose starts in {@code dst}
     * @param ldDst the transpose's row stride
     */
    static void matrix(float[] src, int off, int ld, int rows, int cols, float[] dst, int offDst, int ldDst) {
        int rows16 = 0, cols16 = 0;
        if (AVAILABLE) {
            rows16 = rows - rows % 16;
            cols16 = cols - cols % 16;
            for (int i0 = 0; i0 < rows16; i0 += 16) {
                for (int j0 = 0; j0 < cols16; j0 += 16) block(src, off + i0 * ld + j0, ld, dst, offDst + j0 * ldDst + i0, ldDst);
            }
        }
        // what the blocks left: the last cols % 16 columns of their rows, then the last rows % 16 rows
        scalar(src, off, ld, 0, rows16, cols16, cols, dst, offDst, ldDst);
        scalar(src, off, ld, rows16, rows, 0, cols, dst, offDst, ldDst);
    }

    /** Rows [iFrom, iTo) × columns [jFrom, jTo) of {@link #matrix}, float by float in 32 × 32 blocks. */
    private static void scalar(float[] src, int off, int ld, int iFrom, int iTo, int jFrom, int jTo,
                               float[] dst, int offDst, int ldDst) {
        final int b = 32;
        for (int i0 = iFrom; i0 < iTo; i0 += b) {
            int i1 = Math.min(iTo, i0 + b);
            for (int j0 = jFrom; j0 < jTo; j0 += b) {
                int j1 = Math.min(jTo, j0 + b);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) dst[offDst + j * ldDst + i] = src[off + i * ld + j];
                }
            }
        }
    }

    /**
     * {@code dst[d + c·ld + r] = src[s + r·ls + c]} for r, c in [0, 16): the block of 16 rows
     * (row stride {@code ls}) at {@code src[s]}, transposed into {@code dst[d]} (row stride {@code ld}).
     * One path, no branch: a bias added here under an {@code if} made JDK 17's C2 compile the method
     * first without the bias path, deoptimise it when a convolution's output first took that path,
     * and recompile it with the call sites resolved from type profiles, where its vector stores
     * failed to intrinsify: every vector boxed, ~23 MB per pass of the 32→64 layer, in about one
     * fresh JVM in eight. The bias is now added to the source rows first ({@link #addToRows}).
     */
    static void block(float[] src, int s, int ls, float[] dst, int d, int ld) {
        FloatVector v0 = FloatVector.fromArray(F, src, s), v1 = FloatVector.fromArray(F, src, s + ls),
                v2 = FloatVector.fromArray(F, src, s + 2 * ls), v3 = FloatVector.fromArray(F, src, s + 3 * ls),
                v4 = FloatVector.fromArray(F, src, s + 4 * ls), v5 = FloatVector.fromArray(F, src, s + 5 * ls),
                v6 = FloatVector.fromArray(F, src, s + 6 * ls), v7 = FloatVector.fromArray(F, src, s + 7 * ls),
                v8 = FloatVector.fromArray(F, src, s + 8 * ls), v9 = FloatVector.fromArray(F, src, s + 9 * ls),
                v10 = FloatVector.fromArray(F, src, s + 10 * ls), v11 = FloatVector.fromArray(F, src, s + 11 * ls),
                v12 = FloatVector.fromArray(F, src, s + 12 * ls), v13 = FloatVector.fromArray(F, src, s + 13 * ls),
                v14 = FloatVector.fromArray(F, src, s + 14 * ls), v15 = FloatVector.fromArray(F, src, s + 15 * ls);
        FloatVector x;
        // b = 1: pairs (0,1) (2,3) ... ; x is the new v[i], v[i + b] is updated from the old v[i]
        x = v0.blend(v1.rearrange(UP1), M1); v1 = v0.rearrange(DN1).blend(v1, M1); v0 = x;
        x = v2.blend(v3.rearrange(UP1), M1); v3 = v2.rearrange(DN1).blend(v3, M1); v2 = x;
        x = v4.blend(v5.rearrange(UP1), M1); v5 = v4.rearrange(DN1).blend(v5, M1); v4 = x;
        x = v6.blend(v7.rearrange(UP1), M1); v7 = v6.rearrange(DN1).blend(v7, M1); v6 = x;
        x = v8.blend(v9.rearrange(UP1), M1); v9 = v8.rearrange(DN1).blend(v9, M1); v8 = x;
        x = v10.blend(v11.rearrange(UP1), M1); v11 = v10.rearrange(DN1).blend(v11, M1); v10 = x;
        x = v12.blend(v13.rearrange(UP1), M1); v13 = v12.rearrange(DN1).blend(v13, M1); v12 = x;
        x = v14.blend(v15.rearrange(UP1), M1); v15 = v14.rearrange(DN1).blend(v15, M1); v14 = x;
        // b = 2
        x = v0.blend(v2.rearrange(UP2), M2); v2 = v0.rearrange(DN2).blend(v2, M2); v0 = x;
        x = v1.blend(v3.rearrange(UP2), M2); v3 = v1.rearrange(DN2).blend(v3, M2); v1 = x;
        x = v4.blend(v6.rearrange(UP2), M2); v6 = v4.rearrange(DN2).blend(v6, M2); v4 = x;
        x = v5.blend(v7.rearrange(UP2), M2); v7 = v5.rearrange(DN2).blend(v7, M2); v5 = x;
        x = v8.blend(v10.rearrange(UP2), M2); v10 = v8.rearrange(DN2).blend(v10, M2); v8 = x;
        x = v9.blend(v11.rearrange(UP2), M2); v11 = v9.rearrange(DN2).blend(v11, M2); v9 = x;
        x = v12.blend(v14.rearrange(UP2), M2); v14 = v12.rearrange(DN2).blend(v14, M2); v12 = x;
        x = v13.blend(v15.rearrange(UP2), M2); v15 = v13.rearrange(DN2).blend(v15, M2); v13 = x;
        // b = 4
        x = v0.blend(v4.rearrange(UP4), M4); v4 = v0.rearrange(DN4).blend(v4, M4); v0 = x;
        x = v1.blend(v5.rearrange(UP4), M4); v5 = v1.rearrange(DN4).blend(v5, M4); v1 = x;
        x = v2.blend(v6.rearrange(UP4), M4); v6 = v2.rearrange(DN4).blend(v6, M4); v2 = x;
        x = v3.blend(v7.rearrange(UP4), M4); v7 = v3.rearrange(DN4).blend(v7, M4); v3 = x;
        x = v8.blend(v12.rearrange(UP4), M4); v12 = v8.rearrange(DN4).blend(v12, M4); v8 = x;
        x = v9.blend(v13.rearrange(UP4), M4); v13 = v9.rearrange(DN4).blend(v13, M4); v9 = x;
        x = v10.blend(v14.rearrange(UP4), M4); v14 = v10.rearrange(DN4).blend(v14, M4); v10 = x;
        x = v11.blend(v15.rearrange(UP4), M4); v15 = v11.rearrange(DN4).blend(v15, M4); v11 = x;
        // b = 8
        x = v0.blend(v8.rearrange(UP8), M8); v8 = v0.rearrange(DN8).blend(v8, M8); v0 = x;
        x = v1.blend(v9.rearrange(UP8), M8); v9 = v1.rearrange(DN8).blend(v9, M8); v1 = x;
        x = v2.blend(v10.rearrange(UP8), M8); v10 = v2.rearrange(DN8).blend(v10, M8); v2 = x;
        x = v3.blend(v11.rearrange(UP8), M8); v11 = v3.rearrange(DN8).blend(v11, M8); v3 = x;
        x = v4.blend(v12.rearrange(UP8), M8); v12 = v4.rearrange(DN8).blend(v12, M8); v4 = x;
        x = v5.blend(v13.rearrange(UP8), M8); v13 = v5.rearrange(DN8).blend(v13, M8); v5 = x;
        x = v6.blend(v14.rearrange(UP8), M8); v14 = v6.rearrange(DN8).blend(v14, M8); v6 = x;
        x = v7.blend(v15.rearrange(UP8), M8); v15 = v7.rearrange(DN8).blend(v15, M8); v7 = x;
        v0.intoArray(dst, d); v1.intoArray(dst, d + ld); v2.intoArray(dst, d + 2 * ld); v3.intoArray(dst, d + 3 * ld);
        v4.intoArray(dst, d + 4 * ld); v5.intoArray(dst, d + 5 * ld); v6.intoArray(dst, d + 6 * ld); v7.intoArray(dst, d + 7 * ld);
        v8.intoArray(dst, d + 8 * ld); v9.intoArray(dst, d + 9 * ld); v10.intoArray(dst, d + 10 * ld); v11.intoArray(dst, d + 11 * ld);
        v12.intoArray(dst, d + 12 * ld); v13.intoArray(dst, d + 13 * ld); v14.intoArray(dst, d + 14 * ld); v15.intoArray(dst, d + 15 * ld);
    }

    /** {@code src[s + r·ls + c] += add[offAdd + c]} for r, c in [0, 16): a bias per column added to 16 rows in place. */
    static void addToRows(float[] src, int s, int ls, float[] add, int offAdd) {
        FloatVector a = FloatVector.fromArray(F, add, offAdd);
        for (int r = 0; r < 16; r++) FloatVector.fromArray(F, src, s + r * ls).add(a).intoArray(src, s + r * ls);
    }
}
