package org.jgrad.optim;

import org.jgrad.core.Tensor;

/**
 * Gradient clipping between {@code backward()} and {@code step()}, as
 * {@code torch.nn.utils.clip_grad_norm_} / {@code clip_grad_value_}.
 *
 * <pre>{@code
 * jshell> loss.backward(); GradClip.clipGradNorm(model.parameters(), 1f); opt.step();
 * }</pre>
 */
public final class GradClip {

    private GradClip() {}

    /**
     * {@link #clipGradNorm(Iterable, float, float)} with the 2-norm.
     *
     * @param params parameters whose gradients are scaled in place
     * @param maxNorm largest total norm allowed, ≥ 0
     * @return the total norm before clipping
     */
    public static float clipGradNorm(Iterable<Tensor> params, float maxNorm) {
        return clipGradNorm(params, maxNorm, 2f);
    }

    /**
     * Scales all gradients together by maxNorm / (‖g‖ + 1e-6) when their total p-norm ‖g‖ (taken
     * over all gradients as one vector; p may be {@code Float.POSITIVE_INFINITY}) exceeds
     * maxNorm. Returns the total norm before clipping. Parameters without a gradient are skipped.
     *
     * @param params parameters whose gradients are scaled in place
     * @param maxNorm largest total norm allowed, ≥ 0
     * @param normType p of the norm, positive or infinite
     * @return the total norm before clipping
     * @throws IllegalArgumentException if {@code maxNorm} is negative or NaN, or {@code normType} is not positive
     */
    public static float clipGradNorm(Iterable<Tensor> params, float maxNorm, float normType) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("clipGradNorm: maxNorm must be ≥ 0, got " + maxNorm);
        if (!(normType > 0)) throw new IllegalArgumentException("clipGradNorm: norm type must be positive, got " + normType);
        double total = 0;
        for (Tensor p : params) {
            if (p.gradData() == null) continue;
            for (float g : p.gradData()) {
                double a = Math.abs(g);
                total = Float.isInfinite(normType) ? Math.max(total, a) : total + Math.pow(a, normType);
            }
        }
        if (!Float.isInfinite(normType)) total = Math.pow(total, 1.0 / normType);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            for (Tensor p : params) {
                float[] g = p.gradData();
                if (g == null) continue;
                for (int i = 0; i < g.length; i++) g[i] = (float) (g[i] * coef);
            }
        }
        return (float) total;
    }

    /**
     * Clamps every gradient element into [−clip, clip].
     *
     * @param params parameters whose gradients are clamped in place
     * @param clip the bound, ≥ 0
     * @throws IllegalArgumentException if {@code clip} is negative or NaN
     */
    public static void clipGradValue(Iterable<Tensor> params, float clip) {
        if (!(clip >= 0)) throw new IllegalArgumentException("clipGradValue: clip value must be ≥ 0, got " + clip);
        for (Tensor p : params) {
            float[] g = p.gradData();
            if (g == null) continue;
            for (int i = 0; i < g.length; i++) g[i] = Math.max(-clip, Math.min(clip, g[i]));
        }
    }
}
