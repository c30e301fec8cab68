package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;

/**
 * Batch normalisation over the channel dim 1 (the common part of {@link BatchNorm1d} and
 * {@link BatchNorm2d}):
 * {@code y = (x − μ) / √(σ² + eps) · γ + β}, with μ and σ² per channel.
 *
 * <p>In training μ and σ² are the batch's (σ² biased) and the running statistics move by
 * {@code running = (1 − momentum)·running + momentum·batch}, the running variance taking the
 * unbiased batch variance, as PyTorch does. In eval the running statistics are used. A channel
 * seeing a single value in training is an error, because its variance is undefined.
 * State dict names match PyTorch: weight, bias, running_mean, running_var, num_batches_tracked.
 *
 * <p>The running statistics are written during a training forward, on the calling thread. A
 * data-parallel trainer that runs shards concurrently must therefore either run BatchNorm
 * shards in eval mode for the statistics and merge them itself in shard order, or forward the
 * shards one after another; results then depend on the shard order only, never on threads.
 */
public abstract class BatchNorm extends Module {

    private final int numFeatures;
    private final float eps, momentum;
    private final Tensor weight, bias, runningMean, runningVar, numBatchesTracked;

    /**
     * Batch normalisation over {@code numFeatures} channels.
     *
     * @param numFeatures number of channels C, positive
     * @param eps added to the variance before the square root, positive
     * @param momentum weight of the batch statistics in the running averages, in [0, 1]
     * @param affine true to learn a scale and a shift per channel
     * @throws IllegalArgumentException if an argument is out of range
     */
    protected BatchNorm(int numFeatures, float eps, float momentum, boolean affine) {
        if (numFeatures <= 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": numFeatures must be positive, got " + numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be positive, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": momentum must be in [0, 1], got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
        this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0f)); // 0-d, as PyTorch saves it
    }

    /**
     * The input ranks this layer accepts, and how to name them in errors.
     *
     * @param rank the input's rank
     * @return true if this layer accepts inputs of that rank
     */
    protected abstract boolean acceptsRank(int rank);

    /**
     * The shapes this layer accepts, for error messages.
     *
     * @return text such as {@code "[N, C, H, W]"}
     */
    protected abstract String expectedShape();

    /**
     * The running mean per channel, a buffer updated in training mode.
     *
     * @return the live buffer {@code [C]}
     */
    public Tensor runningMean() {
        return runningMean;
    }

    /**
     * The running variance per channel, a buffer updated in training mode.
     *
     * @return the live buffer {@code [C]}
     */
    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public boolean changesStateInTraining() {
        return true;                                      // updates its running statistics
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!acceptsRank(x.rank()) || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(describe() + ": expected input of shape " + expectedShape() + " with C = "
                    + numFeatures + ", got " + Arrays.toString(x.shape()));
        }
        int rank = x.rank();
        int[] dims = new int[rank - 1];   // every dim but the channel
        dims[0] = 0;
        for (int i = 2; i < rank; i++) dims[i - 1] = i;
        int[] channelShape = new int[rank];
        Arrays.fill(channelShape, 1);
        channelShape[1] = numFeatures;
        int perChannel = x.numel() / numFeatures;

        Tensor mean, var;
        if (isTraining()) {
            if (perChannel <= 1) {
                throw new IllegalArgumentException(describe() + ": expected more than 1 value per channel when training, got input of shape "
                        + Arrays.toString(x.shape()) + " (use a batch of 2 or more, or call eval())");
            }
            mean = x.mean(dims, true);
            var = x.var(dims, 0, true);
            updateRunningStats(mean, var, perChannel);
        } else {
            mean = runningMean.reshape(channelShape);
            var = runningVar.reshape(channelShape);
        }
        Tensor y = x.sub(mean).div(var.add(eps).sqrt());
        return weight == null ? y : y.mul(weight.reshape(channelShape)).add(bias.reshape(channelShape));
    }

    private void updateRunningStats(Tensor mean, Tensor var, int n) {
        try (var off = GradMode.off()) {
            float[] m = mean.data(), v = var.data(), rm = runningMean.data(), rv = runningVar.data();
            float unbiased = (float) n / (n - 1);
            for (int c = 0; c < numFeatures; c++) {
                rm[c] = (1 - momentum) * rm[c] + momentum * m[c];
                rv[c] = (1 - momentum) * rv[c] + momentum * v[c] * unbiased;
            }
            numBatchesTracked.data()[0]++;
        }
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (weight != null);
    }
}
