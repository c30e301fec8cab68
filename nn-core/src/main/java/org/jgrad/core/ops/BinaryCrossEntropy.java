package org.jgrad.core.ops;

/** The two fused binary cross-entropy ops, inputs (x, y) of one shape, output per element. */
public final class BinaryCrossEntropy {

    private BinaryCrossEntropy() {}

    /**
     * On logits, stable for any x: with pos_weight q (1 if none, broadcast over the last dim),
     * {@code l = (1 − y)·x + (1 + (q − 1)·y)·softplus(−x)}, softplus(−x) = max(−x, 0) + log1p(e^−|x|).
     * For q = 1 this is {@code max(x, 0) − x·y + log1p(e^−|x|)}.
     * ∂l/∂x = (1 − y) − (1 + (q − 1)y)·σ(−x);  ∂l/∂y = −x + (q − 1)·softplus(−x).
     */
    public static final class WithLogits extends PerElement {
        private final float[] posWeight;

        /**
         * The op with pos_weight q taken from {@code posWeight} (q = 1 when it is null).
         *
         * @param posWeight one weight, or one per entry of the last dim, or null
         */
        public WithLogits(float[] posWeight) {
            this.posWeight = posWeight;
        }

        private double q(int i) {
            return posWeight == null ? 1 : posWeight[i % posWeight.length];
        }

        @Override
        double loss(int i, double x, double y) {
            return (1 - y) * x + (1 + (q(i) - 1) * y) * Pointwise.softplus(-x);
        }

        @Override
        double dx(int i, double x, double y) {
            return (1 - y) - (1 + (q(i) - 1) * y) * Pointwise.sigmoid(-x);
        }

        @Override
        double dy(int i, double x, double y) {
            return -x + (q(i) - 1) * Pointwise.softplus(-x);
        }
    }

    /**
     * On probabilities x ∈ [0, 1]: {@code l = −(y·log x + (1 − y)·log(1 − x))} with each log clamped
     * at −100 as PyTorch does, so x = 0 or 1 gives a finite loss.
     * ∂l/∂x = (x − y) / max(x(1 − x), 1e-12);  ∂l/∂y = log(1 − x) − log x (clamped).
     */
    public static final class OnProbabilities extends PerElement {
        /** One application of the op; the engine makes a fresh one for each. */
        public OnProbabilities() {}

        private static double clampedLog(double v) {
            return Math.max(Math.log(v), -100);
        }

        @Override
        double loss(int i, double x, double y) {
            return -(y * clampedLog(x) + (1 - y) * clampedLog(1 - x));
        }

        @Override
        double dx(int i, double x, double y) {
            return (x - y) / Math.max(x * (1 - x), 1e-12);
        }

        @Override
        double dy(int i, double x, double y) {
            return clampedLog(1 - x) - clampedLog(x);
        }
    }

    /**
     * A loss of (x, y) element by element, evaluated in double: the forward and backward loops both
     * forms share, so each form writes only its formula and its two partial derivatives.
     */
    abstract static sealed class PerElement extends Op permits WithLogits, OnProbabilities {
        private FloatArray x, y;

        /** The loss at element {@code i} (the index picks a per-column weight where there is one). */
        abstract double loss(int i, double x, double y);

        abstract double dx(int i, double x, double y);

        abstract double dy(int i, double x, double y);

        @Override
        public final FloatArray forward(FloatArray... in) {
            x = in[0];
            y = in[1];
            float[] xs = x.data(), ys = y.data();
            float[] out = new float[xs.length];
            for (int i = 0; i < xs.length; i++) out[i] = (float) loss(i, xs[i], ys[i]);
            return new FloatArray(out, x.shape());
        }

        @Override
        public final FloatArray[] backward(FloatArray g) {
            float[] xs = x.data(), ys = y.data(), gd = g.data();
            float[] dxs = needsGrad(0) ? new float[xs.length] : null, dys = needsGrad(1) ? new float[xs.length] : null;
            for (int i = 0; i < xs.length; i++) {
                if (dxs != null) dxs[i] = (float) (gd[i] * dx(i, xs[i], ys[i]));
                if (dys != null) dys[i] = (float) (gd[i] * dy(i, xs[i], ys[i]));
            }
            return new FloatArray[] {dxs == null ? null : new FloatArray(dxs, x.shape()),
                    dys == null ? null : new FloatArray(dys, x.shape())};
        }

        @Override
        public final FloatArray tangent(FloatArray y, FloatArray... t) {
            return elementwiseTangent(y, t);
        }
    }
}
