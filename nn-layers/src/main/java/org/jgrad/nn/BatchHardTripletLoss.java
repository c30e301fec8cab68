package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;

/**
 * The triplet loss with batch-hard mining (Hermans, Beyer and Leibe 2017, "In Defense of the
 * Triplet Loss for Person Re-Identification"): no triplets are drawn; every embedding of a batch
 * [N, D] is an anchor, paired with its <b>hardest positive</b> (the farthest embedding of its own
 * label, itself excluded) and its <b>hardest negative</b> (the nearest of another label):
 * {@code l_a = max(max_p d(a, p) − min_n d(a, n) + margin, 0)}, the largest triplet loss of any
 * triplet with anchor a. The distance is {@link TripletMarginLoss}'s, {@code ‖x − y + eps‖₂} with
 * eps 1e-6, or its square with {@code squared} (FaceNet's form; the margin then in squared units).
 *
 * <p>Built from autograd ops: the [N, N] distance matrix, the pairs not allowed replaced by a
 * constant through {@link Tensor#where}, then {@code max} and {@code min} along each row. So the
 * gradient reaches only the selected pairs (shared among exact ties), as in PyTorch
 * implementations. The matrix is formed from the differences [N, N, D] rather than from
 * ‖x‖² + ‖y‖² − 2x·y: no cancellation near 0, and each entry equals TripletMarginLoss's distance.
 *
 * <p>An anchor whose label occurs once in the batch has no positive, and one whose label is the
 * only one has no negative: such anchors are skipped, and MEAN averages over the anchors kept
 * (NONE returns one loss per kept anchor, in batch order; {@link #mine} says which). A batch in
 * which no anchor has both is refused. Batches are therefore usually drawn as P classes × K
 * samples each, K at least 2.
 *
 * <pre>{@code
 * jshell> var x = Tensor.of(new float[]{0, 0, 0, 1, 0, 3, 0, 2}, 4, 2); var y = Tensor.of(new float[]{0, 0, 1, 1});
 * jshell> new BatchHardTripletLoss().forward(x, y)
 * $3 ==> tensor(0.5000)     // anchors 0..3: max(1 − 2 + 1, 0), max(1 − 1 + 1, 0), max(1 − 2 + 1, 0), max(1 − 1 + 1, 0)
 * }</pre>
 */
public final class BatchHardTripletLoss extends Loss {

    private static final float EPS = 1e-6f;

    private final float margin;
    private final boolean squared;

    /**
     * The triplets mined from a batch: for each kept anchor (in batch order) its hardest positive
     * and hardest negative, as row indices of the batch.
     *
     * @param anchors the anchors that have both a positive and a negative
     * @param positives each anchor's farthest embedding of the same label
     * @param negatives each anchor's nearest embedding of another label
     */
    public record Triplets(int[] anchors, int[] positives, int[] negatives) {}

    /** Mean reduction, margin 1, distances not squared (PyTorch's TripletMarginLoss defaults). */
    public BatchHardTripletLoss() {
        this(Reduction.MEAN, 1f, false);
    }

    /**
     * A batch-hard triplet loss with every option.
     *
     * @param reduction how the per-anchor losses of the kept anchors are combined
     * @param margin the gap wanted between the hardest negative's and the hardest positive's distance
     * @param squared compare squared distances (FaceNet's form) instead of distances
     */
    public BatchHardTripletLoss(Reduction reduction, float margin, boolean squared) {
        super(reduction);
        this.margin = margin;
        this.squared = squared;
    }

    /**
     * The squared-distance form with mean reduction: {@code max(max_p ‖a − p‖² − min_n ‖a − n‖² + margin, 0)}.
     *
     * @param margin the gap wanted, in squared units
     * @return a new loss
     */
    public static BatchHardTripletLoss squared(float margin) {
        return new BatchHardTripletLoss(Reduction.MEAN, margin, true);
    }

    /**
     * The loss of each kept anchor with its hardest positive and negative, reduced.
     *
     * @param embeddings the batch's embeddings {@code [N, D]}
     * @param labels their labels {@code [N]}; equal values mean the same class
     * @return the reduced loss; with no reduction one loss per kept anchor
     * @throws IllegalArgumentException if the shapes do not fit, or no anchor has both a positive and a negative
     */
    @Override
    public Tensor forward(Tensor embeddings, Tensor labels) {
        Masks m = masks(embeddings, labels);
        Tensor d = distances(embeddings).indexSelect(0, m.anchors);        // [M, N], the kept anchors' rows
        // d ≥ 0, so −1 never beats a positive; +∞ never beats a negative (each kept row has one)
        Tensor hardestPositive = Tensor.where(m.positive, d, Tensor.scalar(-1f)).max(1);
        Tensor hardestNegative = Tensor.where(m.negative, d, Tensor.scalar(Float.POSITIVE_INFINITY)).min(1);
        return reduction.apply(hardestPositive.sub(hardestNegative).add(margin).relu());
    }

    /**
     * The triplets that {@link #forward} uses, for looking at or testing the mining (first index on ties).
     *
     * @param embeddings the batch's embeddings {@code [N, D]}
     * @param labels their labels {@code [N]}
     * @return the kept anchors with their hardest positives and negatives
     * @throws IllegalArgumentException if the shapes do not fit, or no anchor has both a positive and a negative
     */
    public Triplets mine(Tensor embeddings, Tensor labels) {
        Masks m = masks(embeddings, labels);
        try (var off = GradMode.off()) {
            Tensor d = distances(embeddings).indexSelect(0, m.anchors);
            Tensor p = Tensor.where(m.positive, d, Tensor.scalar(-1f)).argmax(1);
            Tensor n = Tensor.where(m.negative, d, Tensor.scalar(Float.POSITIVE_INFINITY)).argmin(1);
            return new Triplets(ints(m.anchors), ints(p), ints(n));
        }
    }

    /** [N, N]: d(x_i, x_j) as TripletMarginLoss computes it, by broadcasting [N, 1, D] against [1, N, D]. */
    private Tensor distances(Tensor x) {
        Tensor a = x.unsqueeze(1), b = x.unsqueeze(0);
        return squared ? Distances.pairwiseSquared(a, b, 2f, EPS) : Distances.pairwise(a, b, 2f, EPS);
    }

    /** The kept anchors (as a float index tensor) and, for their rows, 1 where a column may be their positive or negative. */
    private record Masks(Tensor anchors, Tensor positive, Tensor negative) {}

    private Masks masks(Tensor x, Tensor labels) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException(name() + ": expected embeddings [N, D], got shape " + Arrays.toString(x.shape()));
        }
        Distances.requireLabels(name(), x, labels);
        float[] y = labels.toArray();
        int n = y.length;
        float[] pos = new float[n * n], neg = new float[n * n], kept = new float[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            boolean hasPos = false, hasNeg = false;
            for (int j = 0; j < n; j++) {
                boolean same = y[i] == y[j];
                pos[m * n + j] = same && j != i ? 1f : 0f;
                neg[m * n + j] = same ? 0f : 1f;
                hasPos |= same && j != i;
                hasNeg |= !same;
            }
            if (hasPos && hasNeg) kept[m++] = i;   // else row m is overwritten by the next anchor
        }
        if (m == 0) {
            throw new IllegalArgumentException(name() + ": no anchor among the " + n + " has both a positive (another embedding of its label)"
                    + " and a negative (one of another label); a batch needs a label occurring at least twice and at least two labels");
        }
        return new Masks(Tensor.of(Arrays.copyOf(kept, m)), Tensor.of(Arrays.copyOf(pos, m * n), m, n),
                Tensor.of(Arrays.copyOf(neg, m * n), m, n));
    }

    private static int[] ints(Tensor t) {
        float[] v = t.toArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (int) v[i];
        return out;
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("margin", margin, 1f) + option("squared", squared, false);
    }
}
