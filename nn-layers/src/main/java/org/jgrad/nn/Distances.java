package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.core.Tensor;

/** Shared by the metric-learning losses: argument checks and PyTorch's {@code pairwise_distance}. */
final class Distances {

    private Distances() {}

    /** Two embeddings of one shape, [N, D] or [D]. */
    static void requirePair(String loss, Tensor a, Tensor b) {
        if ((a.rank() != 1 && a.rank() != 2) || !Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(loss + ": expected two inputs of one shape [N, D] or [D], got "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
    }

    /** Labels of shape [N] for inputs [N, D] (or one label for [D]). */
    static void requireLabels(String loss, Tensor x, Tensor y) {
        int n = x.rank() == 2 ? x.size(0) : 1;
        if (y.numel() != n || y.rank() > 1) {
            throw new IllegalArgumentException(loss + ": inputs of shape " + Arrays.toString(x.shape()) + " need " + n
                    + " labels of shape [" + n + "], got " + Arrays.toString(y.shape()));
        }
    }

    /** ‖a − b + eps‖_p along the last dim, the eps keeping the gradient finite when a = b. */
    static Tensor pairwise(Tensor a, Tensor b, float p, float eps) {
        Tensor d = a.sub(b).add(eps);
        if (p == 2f) return d.mul(d).sum(-1).sqrt();
        if (p == 1f) return d.abs().sum(-1);
        return d.abs().pow(p).sum(-1).pow(1f / p);
    }

    /** {@link #pairwise}²; for p = 2 the plain sum of squares, whose gradient 2(a − b) divides by no distance near 0. */
    static Tensor pairwiseSquared(Tensor a, Tensor b, float p, float eps) {
        if (p == 2f) {
            Tensor d = a.sub(b).add(eps);
            return d.mul(d).sum(-1);
        }
        Tensor d = pairwise(a, b, p, eps);
        return d.mul(d);
    }
}
