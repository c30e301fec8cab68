package org.jgrad.train;

import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.Arena;
import org.jgrad.nn.Loss;
import org.jgrad.nn.Module;

/**
 * One shard's part of a data-parallel training step, as a pure function of (weights, shard):
 * forward, the loss weighted by the shard's share of the batch, and the gradients of that loss
 * written to {@code into} without touching any parameter's {@code .grad}. The {@link Trainer} runs
 * it on its threads and a distributed trainer (nn-spark) runs it on other machines; both then sum
 * the shards by {@code Gradients.sumTree}, so the two give the same bits.
 *
 * <pre>{@code
 * jshell> float[][] g = new float[params.length][];
 * jshell> for (int p = 0; p < g.length; p++) g[p] = new float[params[p].numel()];   // kept across steps
 * jshell> var r = ShardStep.run(model, new CrossEntropyLoss(), params, x, y, 128, g);
 * }</pre>
 */
public final class ShardStep {

    private ShardStep() {}

    /**
     * What a shard returns besides its gradients: its loss (its mean loss times its share of the
     * batch, so the shards' losses sum to the batch mean) and its number of correct predictions
     * (0 when the labels are not class indices).
     *
     * @param loss the shard's mean loss times its share of the batch
     * @param correct the shard's correct predictions, 0 when the labels are not class indices
     */
    public record Result(double loss, long correct) {}

    /**
     * Runs one shard: {@code features} [len, ...] and {@code labels} [len] of a batch of
     * {@code batchSize} samples. The gradient of each of {@code params} goes to {@code into[p]},
     * an array of that parameter's size. Only a module that changes state in a training forward
     * makes the result depend on what ran before it.
     *
     * @param model the model, in training mode
     * @param loss loss of the model's output against {@code labels}
     * @param params the tensors to differentiate, as {@code model.parameters()}
     * @param features the shard's inputs {@code [len, ...]}
     * @param labels the shard's targets {@code [len]}
     * @param batchSize samples in the whole batch, for the shard's share of the mean loss
     * @param into one array per parameter, overwritten with the shard's gradient
     * @return the shard's share of the loss and its correct predictions
     */
    public static Result run(Module model, Loss loss, Tensor[] params, Tensor features, Tensor labels, int batchSize, float[][] into) {
        return run(model, loss, params, features, labels, 0, features.size(0), batchSize, into);
    }

    /**
     * Runs the shard of rows {@code [from, from + len)} of a batch's {@code features} and
     * {@code labels}; the rows are cut out inside the shard's arena scope, so that copy is reused
     * by the next step too (cut outside, it was a fresh batch-sized array per step).
     *
     * @param model the model, in training mode
     * @param loss loss of the model's output against the labels
     * @param params the tensors to differentiate, as {@code model.parameters()}
     * @param features the batch's inputs {@code [n, ...]}
     * @param labels the batch's targets {@code [n]}
     * @param from first row of the shard
     * @param len rows in the shard
     * @param batchSize samples in the whole batch, for the shard's share of the mean loss
     * @param into one array per parameter, overwritten with the shard's gradient
     * @return the shard's share of the loss and its correct predictions
     */
    public static Result run(Module model, Loss loss, Tensor[] params, Tensor features, Tensor labels, int from, int len,
                             int batchSize, float[][] into) {
        // The shard's intermediate arrays come from its thread's arena and are reused by the next
        // shard (nothing of them outlives it: see Arena); a layer writes its weights' gradients
        // straight into `into` (Autograd.gradInto), the others are copied there. A custom module gets
        // fresh arrays (Trainer.mayReuseArrays).
        boolean reuse = Trainer.mayReuseArrays(model, loss);
        try (Arena.Scope scope = reuse ? Arena.open() : null) {
            boolean whole = from == 0 && len == features.size(0);
            Tensor x = whole ? features : features.narrow(0, from, len);
            Tensor y = whole ? labels : labels.narrow(0, from, len);
            Tensor output = model.forward(x);
            Tensor l = loss.forward(output, y).mul((float) len / batchSize);
            Autograd.gradInto(l, params, into);
            return new Result(l.item(), Trainer.countCorrect(output, y));
        }
    }
}
