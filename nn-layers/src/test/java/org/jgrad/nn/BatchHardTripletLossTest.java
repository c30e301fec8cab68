package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class BatchHardTripletLossTest {

    /**
     * Seven points in the plane: labels 0, 0, 0, 1, 1 and a lone 2 (index 5) and 3 (index 6),
     * which have no positive and are skipped as anchors, but serve as negatives for the others.
     */
    private static final float[] POINTS = {0, 0, 1, 0, 0, 2.5f, 3, 0, 3, 1.5f, 0.5f, -1, -3, 0.25f};
    private static final float[] LABELS = {0, 0, 0, 1, 1, 2, 3};
    private static final Tensor X = Tensor.of(POINTS, 7, 2), Y = Tensor.of(LABELS);

    /** The brute-force reference: for each anchor, every (positive, negative) pair; its largest hinge and the pair's indices. */
    private record Reference(List<Integer> anchors, List<Integer> positives, List<Integer> negatives, double[] losses) {}

    private static Reference bruteForce(float[] x, float[] y, int dim, double margin, boolean squared) {
        int n = y.length;
        List<Integer> anchors = new ArrayList<>(), positives = new ArrayList<>(), negatives = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            double worst = Double.NEGATIVE_INFINITY, farthest = -1, nearest = Double.POSITIVE_INFINITY;
            int bestP = -1, bestN = -1;
            for (int p = 0; p < n; p++) {
                if (p == a || y[p] != y[a]) continue;
                for (int m = 0; m < n; m++) {
                    if (y[m] == y[a]) continue;
                    double dp = dist(x, a, p, dim, squared), dn = dist(x, a, m, dim, squared);
                    worst = Math.max(worst, Math.max(dp - dn + margin, 0));
                    if (dp > farthest) {
                        farthest = dp;
                        bestP = p;
                    }
                    if (dn < nearest) {
                        nearest = dn;
                        bestN = m;
                    }
                }
            }
            if (bestP < 0 || bestN < 0) continue;   // no positive or no negative: skipped
            anchors.add(a);
            positives.add(bestP);
            negatives.add(bestN);
            losses.add(worst);
        }
        return new Reference(anchors, positives, negatives, losses.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double dist(float[] x, int i, int j, int dim, boolean squared) {
        double s = 0;
        for (int c = 0; c < dim; c++) s += Math.pow(x[i * dim + c] - x[j * dim + c], 2);
        return squared ? s : Math.sqrt(s);
    }

    @Test
    void minedPairsAndLossEqualTheBruteForceOverAllTriplets() {
        for (boolean squared : new boolean[] {false, true}) {
            float margin = squared ? 4f : 1.5f;
            Reference ref = bruteForce(POINTS, LABELS, 2, margin, squared);
            assertThat(ref.anchors()).as("the lone label-3 point is no anchor").containsExactly(0, 1, 2, 3, 4);
            var loss = new BatchHardTripletLoss(Reduction.NONE, margin, squared);
            var mined = loss.mine(X, Y);
            assertThat(mined.anchors()).containsExactly(0, 1, 2, 3, 4);
            assertThat(mined.positives()).containsExactly(ref.positives().stream().mapToInt(Integer::intValue).toArray());
            assertThat(mined.negatives()).containsExactly(ref.negatives().stream().mapToInt(Integer::intValue).toArray());
            float[] perAnchor = loss.forward(X, Y).toArray();
            for (int k = 0; k < perAnchor.length; k++) assertThat((double) perAnchor[k]).isCloseTo(ref.losses()[k], within(1e-5));
            double mean = Arrays.stream(ref.losses()).average().orElseThrow();
            assertThat((double) new BatchHardTripletLoss(Reduction.MEAN, margin, squared).forward(X, Y).item()).isCloseTo(mean, within(1e-5));
            assertThat(mean).as("the margin leaves some anchors violated and some not").isGreaterThan(0);
        }
        // by hand: anchor 0's farthest positive is 2 (distance 2.5), its nearest negative 5 (√1.25 ≈ 1.118)
        var mined = new BatchHardTripletLoss().mine(X, Y);
        assertThat(mined.positives()[0]).isEqualTo(2);
        assertThat(mined.negatives()[0]).isEqualTo(5);
    }

    /** Batch-hard is TripletMarginLoss applied to the mined triplets. */
    @Test
    void equalsTripletMarginLossOnTheMinedTriplets() {
        var mined = new BatchHardTripletLoss().mine(X, Y);
        Tensor a = X.indexSelect(0, index(mined.anchors())), p = X.indexSelect(0, index(mined.positives())),
                n = X.indexSelect(0, index(mined.negatives()));
        assertThat(new BatchHardTripletLoss().forward(X, Y).item()).isCloseTo(new TripletMarginLoss().forward(a, p, n).item(), within(1e-6f));
        assertThat(BatchHardTripletLoss.squared(3f).forward(X, Y).item())
                .isCloseTo(TripletMarginLoss.squared(3f).forward(a, p, n).item(), within(1e-5f));
    }

    @Test
    void docExample() {
        Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 0, 3, 0, 2}, 4, 2);
        Tensor y = Tensor.of(new float[] {0, 0, 1, 1});
        assertThat(new BatchHardTripletLoss().forward(x, y).item()).isCloseTo(0.5f, within(1e-5f));
        assertThat(new BatchHardTripletLoss(Reduction.NONE, 1f, false).forward(x, y).toArray())
                .containsExactly(new float[] {0, 1, 0, 1}, within(1e-5f));
        assertThat(new BatchHardTripletLoss()).hasToString("BatchHardTripletLoss(reduction=mean)");
        assertThat(BatchHardTripletLoss.squared(0.5f)).hasToString("BatchHardTripletLoss(reduction=mean, margin=0.5, squared=true)");
    }

    /** The gradient reaches only the mined pairs: a point that is nobody's hardest positive or negative gets none. */
    @Test
    void gradientFlowsOnlyThroughTheSelectedPairs() {
        Tensor x = X.detach().requiresGrad();
        new BatchHardTripletLoss(Reduction.SUM, 10f, false).forward(x, Y).backward();
        var mined = new BatchHardTripletLoss().mine(X, Y);
        boolean[] used = new boolean[7];
        for (int k = 0; k < mined.anchors().length; k++) {
            used[mined.anchors()[k]] = used[mined.positives()[k]] = used[mined.negatives()[k]] = true;
        }
        float[] g = x.grad().toArray();
        for (int i = 0; i < 7; i++) {
            float norm = Math.abs(g[2 * i]) + Math.abs(g[2 * i + 1]);
            if (used[i]) assertThat(norm).as("point %d", i).isGreaterThan(0f);
            else assertThat(norm).as("point %d", i).isZero();
        }
        assertThat(used[5]).as("point 5 is no anchor but anchor 0's nearest negative").isTrue();
        assertThat(used[6]).as("point 6 is no anchor and nobody's nearest negative").isFalse();
    }

    /** A random batch of 3 labels × 3, the first seed whose hardest pairs win by a clear gap, so GradCheck's steps flip no max or min. */
    @Test
    void gradientsMatchFiniteDifferences() {
        float[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2};
        Tensor y = Tensor.of(labels);
        Tensor x = null;
        for (int seed = 1; x == null; seed++) {
            Tensor candidate = Tensor.randn(new SplittableRandom(seed), 9, 3);
            if (clearWinners(candidate.toArray(), labels, 0.1)) x = candidate.requiresGrad();
        }
        GradCheck.assertGradients("BatchHardTriplet", in -> new BatchHardTripletLoss(Reduction.NONE, 5f, false).forward(in[0], y), x);
        GradCheck.assertGradients("BatchHardTriplet squared", in -> BatchHardTripletLoss.squared(20f).forward(in[0], y), x);
    }

    /** Whether every anchor's farthest positive and nearest negative beat the runner-up by more than {@code gap}. */
    private static boolean clearWinners(float[] x, float[] y, double gap) {
        int n = y.length, dim = x.length / n;
        for (int a = 0; a < n; a++) {
            double[] pos = new double[n], neg = new double[n];
            int np = 0, nn = 0;
            for (int j = 0; j < n; j++) {
                if (j == a) continue;
                if (y[j] == y[a]) pos[np++] = -dist(x, a, j, dim, false);   // negated: the farthest sorts first
                else neg[nn++] = dist(x, a, j, dim, false);
            }
            Arrays.sort(pos, 0, np);
            Arrays.sort(neg, 0, nn);
            if (pos[1] - pos[0] <= gap || neg[1] - neg[0] <= gap) return false;
        }
        return true;
    }

    @Test
    void badBatchesAreRefusedClearly() {
        var loss = new BatchHardTripletLoss();
        assertThatThrownBy(() -> loss.forward(Tensor.zeros(3, 2), Tensor.of(new float[] {0, 1, 2})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BatchHardTripletLoss: no anchor among the 3 has both a positive (another embedding of its label) and a negative"
                        + " (one of another label); a batch needs a label occurring at least twice and at least two labels");
        assertThatThrownBy(() -> loss.forward(Tensor.zeros(3, 2), Tensor.zeros(3))).hasMessageContaining("no anchor among the 3");
        assertThatThrownBy(() -> loss.forward(Tensor.zeros(3, 2), Tensor.zeros(4)))
                .hasMessageContaining("BatchHardTripletLoss: inputs of shape [3, 2] need 3 labels of shape [3], got [4]");
        assertThatThrownBy(() -> loss.forward(Tensor.zeros(3), Tensor.zeros(3)))
                .hasMessage("BatchHardTripletLoss: expected embeddings [N, D], got shape [3]");
    }

    private static Tensor index(int[] i) {
        float[] f = new float[i.length];
        for (int k = 0; k < i.length; k++) f[k] = i[k];
        return Tensor.of(f);
    }
}
