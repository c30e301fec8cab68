package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.core.Tensor;

/**
 * Focal loss for class imbalance (Lin et al. 2017, "Focal Loss for Dense Object Detection"),
 * multi-class form on logits [N, C] and class indices [N]:
 * {@code FL_i = −α_{y_i}·(1 − p_{i,y_i})^γ·log p_{i,y_i}} with {@code p = softmax(x_i)}.
 *
 * <p>It is cross-entropy times a modulating factor {@code (1 − p_y)^γ}. An example the model
 * already gets right (p_y near 1) has a factor near 0, so the many easy examples (e.g. background)
 * stop swamping the few hard ones: with p_y = 0.9 and γ = 2 the factor is 0.1² = 0.01, a loss 100×
 * smaller than cross-entropy, while a hard example with p_y = 0.1 keeps 0.81 of it. γ = 0 is plain
 * cross-entropy; the paper uses γ = 2. The optional α [C] weights each class (class-balanced
 * weighting, e.g. inverse frequency); null means 1 for every class.
 *
 * <p>log p_y comes from log-softmax (stable for large logits) and p_y = exp(log p_y); the loss is
 * composed of differentiable tensor ops, so autograd gives its gradient. MEAN divides by N, not
 * by Σ α_{y_i} as {@link CrossEntropyLoss} with weights does: this follows torchvision's
 * {@code sigmoid_focal_loss}, where α is part of each example's loss. Without α the two agree, and
 * with γ = 0 and α = null this loss equals {@code CrossEntropyLoss}. Targets are whole numbers
 * 0..C−1 held in a float tensor, as for {@code CrossEntropyLoss}. With 0 &lt; γ &lt; 1 the factor's
 * derivative γ·(1 − p_y)^(γ−1) is infinite where p_y rounds to exactly 1, so such an example gives
 * a non-finite gradient (as in PyTorch); the {@code Trainer} stops at such a step with an error
 * naming it, before the weights change.
 *
 * <pre>{@code
 * jshell> new FocalLoss(2f).forward(Tensor.zeros(2, 2), Tensor.of(new float[]{0, 1}))
 * $1 ==> tensor(0.1733)      // 0.5²·ln 2
 * }</pre>
 */
public final class FocalLoss extends Loss {

    private final float gamma;
    private final Tensor alpha;           // buffer "alpha", or null

    /**
     * Focal loss with mean reduction and no class weights.
     *
     * @param gamma the focusing parameter γ ≥ 0 (0 is cross-entropy; the paper uses 2)
     * @throws IllegalArgumentException if γ is negative, NaN or infinite
     */
    public FocalLoss(float gamma) {
        this(Reduction.MEAN, gamma, null);
    }

    /**
     * Focal loss with a reduction and optional per-class weights α.
     *
     * @param reduction MEAN (divides by N; BATCH_MEAN is the same here), SUM or NONE (one loss per example, shape [N])
     * @param gamma the focusing parameter γ ≥ 0 (0 is cross-entropy; the paper uses 2)
     * @param alpha per-class weights of shape [C], or null for 1 everywhere
     * @throws IllegalArgumentException if γ is negative, NaN or infinite, or α is not 1-D
     */
    public FocalLoss(Reduction reduction, float gamma, Tensor alpha) {
        super(reduction);
        if (!(gamma >= 0) || Float.isInfinite(gamma)) {
            throw new IllegalArgumentException("FocalLoss: gamma must be a finite number >= 0, got " + gamma);
        }
        if (alpha != null && alpha.rank() != 1) {
            throw new IllegalArgumentException("FocalLoss: alpha must be per-class weights of shape [C], got shape "
                    + Arrays.toString(alpha.shape()));
        }
        this.gamma = gamma;
        this.alpha = registerCopy("alpha", alpha);
    }

    /**
     * The focusing parameter.
     *
     * @return γ as given to the constructor
     */
    public float gamma() {
        return gamma;
    }

    /**
     * The focal loss of {@code logits} against {@code target}.
     *
     * @param logits unnormalized class scores [N, C]
     * @param target class indices [N], whole numbers 0..C−1
     * @return the reduced loss (0-d), or the per-example losses [N] for NONE
     * @throws IllegalArgumentException if logits are not 2-D, the target is not [N], a label is
     *     out of range, or α does not have C elements
     */
    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("FocalLoss: logits must be 2-D [N, C], got shape " + Arrays.toString(logits.shape()));
        }
        int n = logits.size(0), c = logits.size(1);
        if (target.rank() != 1 || target.size(0) != n) {
            throw new IllegalArgumentException("FocalLoss: logits of shape " + Arrays.toString(logits.shape())
                    + " need a target of class indices of shape [" + n + "], got " + Arrays.toString(target.shape()));
        }
        if (alpha != null && alpha.numel() != c) {
            throw new IllegalArgumentException("FocalLoss: alpha must have shape [" + c + "] for logits of shape "
                    + Arrays.toString(logits.shape()) + ", got " + Arrays.toString(alpha.shape()));
        }
        int[] labels = classIndices(name(), target, c);
        float[] idx = new float[n];
        for (int i = 0; i < n; i++) idx[i] = labels[i];
        Tensor logP = logits.logSoftmax(1).gather(1, Tensor.of(idx, n, 1)).reshape(n);
        Tensor losses = logP.neg();
        if (gamma != 0f) {
            // (1 − p_y)^γ; skipped at γ = 0 so that the loss is exactly cross-entropy
            Tensor factor = logP.exp().neg().add(1f).pow(gamma);
            losses = factor.mul(losses);
        }
        if (alpha != null) {
            float[] a = alpha.data(), w = new float[n];
            for (int i = 0; i < n; i++) w[i] = a[labels[i]];
            losses = losses.mul(Tensor.of(w));
        }
        return reduction.apply(losses);
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + ", gamma=" + gamma + option("alpha", alpha, null);
    }
}
