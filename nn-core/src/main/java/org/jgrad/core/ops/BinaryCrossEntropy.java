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
    public static final class WithLogits extends Op {
        private final float[] posWeight;
        private FloatArray x, y;

        /** @param posWeight one weight, or one per entry of the last dim, or null */
        public WithLogits(float[] posWeight) {
            this.posWeight = posWeight;
        }

        private double q(int i) {
            return posWeight == null ? 1 : posWeight[i % posWeight.length];
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            y = in[1];
            float[] xs = x.data(), ys = y.data();
            float[] out = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                double sp = Pointwise.softplus(-(double) xs[i]);
                out[i] = (float) ((1 - ys[i]) * (double) xs[i] + (1 + (q(i) - 1) * ys[i]) * sp);
            }
            return new FloatArray(out, x.shape());
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            float[] xs = x.data(), ys = y.data(), gd = g.data();
            float[] dx = needsGrad(0) ? new float[xs.length] : null, dy = needsGrad(1) ? new float[xs.length] : null;
            for (int i = 0; i < xs.length; i++) {
                double q = q(i);
                if (dx != null) dx[i] = (float) (gd[i] * ((1 - ys[i]) - (1 + (q - 1) * ys[i]) * Pointwise.sigmoid(-(double) xs[i])));
                if (dy != null) dy[i] = (float) (gd[i] * (-xs[i] + (q - 1) * Pointwise.softplus(-(double) xs[i])));
            }
            return new FloatArray[] {dx == null ? null : new FloatArray(dx, x.shape()), dy == null ? null : new FloatArray(dy, x.shape())};
        }
    }

    /**
     * On probabilities x ∈ [0, 1]: {@code l = −(y·log x + (1 − y)·log(1 − x))} with each log clamped
     * at −100 as PyTorch does, so x = 0 or 1 gives a finite loss.
     * ∂l/∂x = (x − y) / max(x(1 − x), 1e-12);  ∂l/∂y = log(1 − x) − log x (clamped).
     */
    public static final class OnProbabilities extends Op {
        private FloatArray x, y;

        private static double clampedLog(double v) {
            return Math.max(Math.log(v), -100);
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            y = in[1];
            float[] xs = x.data(), ys = y.data();
            float[] out = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                out[i] = (float) -(ys[i] * clampedLog(xs[i]) + (1 - (double) ys[i]) * clampedLog(1 - (double) xs[i]));
            }
            return new FloatArray(out, x.shape());
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            float[] xs = x.data(), ys = y.data(), gd = g.data();
            float[] dx = needsGrad(0) ? new float[xs.length] : null, dy = needsGrad(1) ? new float[xs.length] : null;
            for (int i = 0; i < xs.length; i++) {
                double p = xs[i];
                if (dx != null) dx[i] = (float) (gd[i] * (p - ys[i]) / Math.max(p * (1 - p), 1e-12));
                if (dy != null) dy[i] = (float) (gd[i] * (clampedLog(1 - p) - clampedLog(p)));
            }
            return new FloatArray[] {dx == null ? null : new FloatArray(dx, x.shape()), dy == null ? null : new FloatArray(dy, x.shape())};
        }
    }
}
