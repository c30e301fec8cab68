package org.jgrad.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jgrad.core.GradMode;
import org.jgrad.core.Gradients;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.Arena;
import org.jgrad.core.ops.FloatArray;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Dataset;
import org.jgrad.nn.Lambda;
import org.jgrad.nn.Loss;
import org.jgrad.nn.Module;
import org.jgrad.optim.LRScheduler;
import org.jgrad.optim.Optimizer;

/**
 * Data-parallel minibatch training on jgrad's threads ({@link org.jgrad.core.Parallel}), with
 * results that do not depend on the number of threads.
 *
 * <p>Each minibatch is cut into shards of {@link #shardSize} samples (a setting, not a function
 * of the thread count). Every shard runs forward and backward ({@link ShardStep}, through
 * {@code Autograd.gradInto}), which returns gradients without writing any shared buffer; the
 * shards' gradients are then summed by a fixed pairwise tree over shard indices
 * ((s0+s1)+(s2+s3))…, written to the parameters, and the optimizer steps once. A shard's loss is its mean loss weighted by its share of the batch,
 * so the sum is the batch mean for any mean-reduced loss. Models with modules that change state
 * in a training forward ({@code Module.changesStateInTraining()}: Dropout's random stream,
 * BatchNorm's running statistics, a custom module that says so) run their shards one after
 * another in shard order, which keeps those updates deterministic too.
 *
 * <pre>{@code
 * jshell> var trainer = new Trainer(model, new CrossEntropyLoss(), new SGD(model.parameters(), 0.1f));
 * jshell> var history = trainer.fit(new DataLoader(train, 128, true, 42), validation, 5);
 * }</pre>
 */
public final class Trainer {

    /**
     * What one epoch did; validation figures are NaN when there is no validation set.
     *
     * @param epoch the epoch's number (counted from {@code firstEpoch} in {@link #fit}, 0 by default)
     * @param trainLoss mean training loss over the epoch's samples
     * @param trainAccuracy fraction of the epoch's samples predicted right (0 when the labels are
     *        not class indices)
     * @param valLoss mean loss on the validation set after the epoch
     * @param valAccuracy accuracy on the validation set after the epoch (also NaN when the labels
     *        are not class indices)
     * @param lr the optimizer's learning rate during the epoch, before the scheduler's step
     * @param seconds time spent on the epoch's training steps, validation not included
     * @param samplesPerSecond training samples per second over those steps
     */
    public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                             double lr, double seconds, double samplesPerSecond) {
        /**
         * One line as the training loop prints it; without a validation set (NaN) the validation
         * part is left out rather than printed as NaN.
         *
         * @return the epoch's figures on one line
         */
        @Override
        public String toString() {
            String val = Double.isNaN(valLoss) ? "" : String.format(Locale.ROOT, " | val loss %.4f acc %.4f", valLoss, valAccuracy);
            return String.format(Locale.ROOT, "epoch %d: train loss %.4f acc %.4f%s | lr %.4g | %.1fs, %,.0f samples/s",
                    epoch, trainLoss, trainAccuracy, val, lr, seconds, samplesPerSecond);
        }
    }

    /**
     * Loss, accuracy and confusion matrix of a model on a dataset.
     *
     * @param loss mean loss over the dataset's samples
     * @param accuracy fraction of the samples predicted right, NaN unless the labels are class indices
     * @param confusion the confusion matrix, null unless the labels are class indices
     */
    public record Evaluation(double loss, double accuracy, ConfusionMatrix confusion) {}

    /** Called after every epoch, e.g. for custom logging. */
    @FunctionalInterface
    public interface Callback {
        /**
         * Receives the statistics of the epoch that just ended.
         *
         * @param stats what the epoch did
         */
        void onEpochEnd(EpochStats stats);
    }

    /**
     * Samples per shard unless set: a minibatch of up to 128 samples is one shard, whose ops split
     * their work over the threads themselves; larger batches run whole shards in parallel.
     * (Measured, MLP 784-512-256-10 at batch 128, 1 / 2 threads: shards of 32 ran at 35k / 41k
     * samples/s, of 128 at 51k / 58k — a layer's GEMMs fill their tiles and pack the weights once
     * per shard; the CNN at batch 64 ran alike with shards of 32 and 64.)
     */
    public static final int DEFAULT_SHARD_SIZE = 128;

    private final Module model;
    private final Loss loss;
    private final Optimizer<?> optimizer;
    private final List<Tensor> params;
    private int shardSize = DEFAULT_SHARD_SIZE;
    private Progress.Mode progress = Progress.Mode.AUTO;
    private PrintStream out = System.out;
    private LRScheduler scheduler;
    private int patience = -1;
    private boolean restoreBest = true;
    private final List<Callback> callbacks = new ArrayList<>();
    private final List<java.util.function.Consumer<StepResult>> stepCallbacks = new ArrayList<>();
    /**
     * Samples per batch in {@link #evaluate}. 128 keeps a Fashion-MNIST batch (400 KB) below the
     * size G1 allocates outside its young generation at -Xmx1g (half a 1 MB region); batches of
     * 1,000 made six concurrent GC cycles per validation pass (measured: 35 ms of pauses over four
     * epochs instead of 139 ms, the same loss and accuracy).
     */
    private static final int EVAL_BATCH = 128;
    private float[][][] shardGrads;
    private boolean stopOnNonFinite = true;
    private long steps;

    /**
     * A trainer of {@code model} against {@code loss}, stepping {@code optimizer} once per minibatch.
     *
     * @param model the module to train; its parameters are the ones {@code optimizer} updates
     * @param loss loss of the model's output against a batch's labels
     * @param optimizer optimizer over the model's parameters
     */
    public Trainer(Module model, Loss loss, Optimizer<?> optimizer) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.params = model.parameters();
    }

    /**
     * Samples per shard (default {@value #DEFAULT_SHARD_SIZE}). Fixed by the user, never derived from the thread count.
     *
     * @param n samples per shard, at least 1
     * @return this trainer
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Trainer shardSize(int n) {
        if (n < 1) throw new IllegalArgumentException("Trainer: shard size must be >= 1, got " + n);
        shardSize = n;
        return this;
    }

    /**
     * Samples per shard.
     *
     * @return the shard size
     */
    public int shardSize() {
        return shardSize;
    }

    /**
     * How progress is shown (default AUTO: a live line on a terminal, periodic lines otherwise).
     *
     * @param mode how to show progress
     * @return this trainer
     */
    public Trainer progress(Progress.Mode mode) {
        progress = mode;
        return this;
    }

    /**
     * Where progress and per-epoch lines go (default System.out; null prints nothing).
     *
     * @param stream destination of the lines, or null for none
     * @return this trainer
     */
    public Trainer output(PrintStream stream) {
        out = stream;
        return this;
    }

    /**
     * A learning-rate schedule stepped once per epoch.
     *
     * @param s the schedule, or null for none
     * @return this trainer
     */
    public Trainer scheduler(LRScheduler s) {
        scheduler = s;
        return this;
    }

    /**
     * Stops when validation accuracy (or, for non-classification, loss) has not improved for
     * {@code epochs} epochs, and by default restores the best weights seen.
     *
     * @param epochs epochs without improvement before stopping, at least 1
     * @param restoreBestWeights true to put back the weights of the best epoch at the end
     * @return this trainer
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public Trainer earlyStopping(int epochs, boolean restoreBestWeights) {
        if (epochs < 1) throw new IllegalArgumentException("Trainer: early-stopping patience must be >= 1, got " + epochs);
        patience = epochs;
        restoreBest = restoreBestWeights;
        return this;
    }

    /**
     * Adds a callback run after every epoch.
     *
     * @param c the callback
     * @return this trainer
     */
    public Trainer callback(Callback c) {
        callbacks.add(c);
        return this;
    }

    /**
     * Called after every optimizer step during {@link #fit} (loss, correct predictions, batch size).
     *
     * @param c receives each step's result
     * @return this trainer
     */
    public Trainer stepCallback(java.util.function.Consumer<StepResult> c) {
        stepCallbacks.add(c);
        return this;
    }

    // ---------------------------------------------------------------- one step

    /**
     * Loss and number of correct predictions of one training step.
     *
     * @param loss the batch's mean loss
     * @param correct correct predictions in the batch, 0 when the labels are not class indices
     * @param samples number of samples in the batch
     */
    public record StepResult(double loss, long correct, int samples) {}

    /**
     * One optimizer step on a minibatch: shards in parallel, gradients summed by a fixed tree.
     *
     * @param batch features and labels, at least one sample
     * @return the batch's mean loss, correct predictions and sample count
     * @throws IllegalArgumentException if the batch is empty
     * @throws IllegalStateException if the loss or a gradient is not finite while {@link #stopOnNonFinite} is on
     */
    public StepResult step(Batch batch) {
        int n = batch.size();
        if (n == 0) throw new IllegalArgumentException("Trainer.step: the batch is empty (0 samples)");
        int shards = Parallel.chunks(n, shardSize);
        float[][][] grads = shardGradients(shards);
        Tensor[] wrt = params.toArray(new Tensor[0]);
        double[] losses = new double[shards];
        long[] correct = new long[shards];
        Parallel.ChunkBody body = s -> {
            int from = s * shardSize, len = Math.min(n, from + shardSize) - from;
            ShardStep.Result r = ShardStep.run(model, loss, wrt, batch.features(), batch.labels(), from, len, n, grads[s]);
            losses[s] = r.loss();
            correct[s] = r.correct();
        };
        if (shards > 1 && stateful(model)) {
            for (int s = 0; s < shards; s++) body.run(s);
        } else {
            Parallel.forChunks(shards, body);
        }
        Gradients.sumTree(grads, 0, shards);
        double[] l = losses.clone();
        Gradients.sumTree(l, 0, shards);
        steps++;
        if (stopOnNonFinite) checkFinite(l[0], grads[0], n);
        // the parameters' gradients are the summed shard-0 arrays, kept across steps (in place, as in PyTorch)
        for (int p = 0; p < params.size(); p++) params.get(p).setGrad(Tensor.wrap(new FloatArray(grads[0][p], params.get(p).shape())));
        optimizer.step();
        long c = 0;
        for (long v : correct) c += v;
        return new StepResult(l[0], c, n);
    }

    /**
     * Stops a diverged run before it writes non-finite weights: a NaN or infinite loss or gradient
     * throws, naming the step and the first bad parameter; the weights stay as they were before
     * this step (like Keras' TerminateOnNaN, on by default; see {@link #stopOnNonFinite}).
     */
    private void checkFinite(double loss, float[][] grads, int batch) {
        String what = null;
        if (!Double.isFinite(loss)) what = "the loss is " + loss;
        for (int p = 0; what == null && p < grads.length; p++) {
            if (Gradients.allFinite(grads[p])) continue;      // the common case, vectorised
            for (float g : grads[p]) {
                if (!Float.isFinite(g)) {
                    what = "the gradient of parameter " + parameterName(p) + " holds " + g;
                    break;
                }
            }
        }
        if (what != null) {
            throw new IllegalStateException("Trainer: " + what + " at step " + steps + " (a batch of " + batch + " samples); the"
                    + " weights are those before this step. Lower the learning rate or look for NaN/Inf in the data;"
                    + " stopOnNonFinite(false) trains on regardless");
        }
    }

    private String parameterName(int p) {
        int i = 0;
        for (var e : model.namedParameters().entrySet()) if (i++ == p) return "'" + e.getKey() + "'";
        return "#" + p;
    }

    /**
     * Whether a non-finite loss or gradient stops training with an error (default true).
     *
     * @param stop true to throw on a non-finite loss or gradient
     * @return this trainer
     */
    public Trainer stopOnNonFinite(boolean stop) {
        stopOnNonFinite = stop;
        return this;
    }

    /** Per-shard gradient arrays, one per parameter, kept across steps (grown when a step has more shards). */
    private float[][][] shardGradients(int shards) {
        if (shardGrads == null || shardGrads.length < shards) {
            float[][][] grown = new float[shards][][];
            for (int s = 0; s < shards; s++) {
                if (shardGrads != null && s < shardGrads.length) {
                    grown[s] = shardGrads[s];
                } else {
                    grown[s] = new float[params.size()][];
                    for (int p = 0; p < params.size(); p++) grown[s][p] = new float[params.get(p).numel()];
                }
            }
            shardGrads = grown;
        }
        return shardGrads;
    }

    /** Whether the labels are class indices for these outputs: [n, classes] and [n] whole numbers in range. */
    private static boolean classification(Tensor output, Tensor labels) {
        if (output.rank() != 2 || labels.rank() != 1) return false;
        int classes = output.size(1);
        for (float v : labels.data()) if (v < 0 || v >= classes || v != (int) v) return false;
        return true;
    }

    /** Correct predictions of a classification batch; 0 for other targets (regression, soft labels). */
    static long countCorrect(Tensor output, Tensor labels) {
        return classification(output, labels) ? Metrics.countTopK(output.data(), labels.data(), output.size(1), 1) : 0;
    }

    /**
     * Whether a forward (and backward) of {@code model} and {@code loss} may take its arrays from an
     * {@code Arena} scope: only when both are made of jgrad's own modules, which keep no tensor past
     * a forward (a custom module might keep one — a hook collecting activations).
     */
    static boolean mayReuseArrays(Module model, Object loss) {
        return ownModules(model) && ownModule(loss);
    }

    /** True if the module and all its children are jgrad's own (not a Lambda, not a user subclass). */
    static boolean ownModules(Module m) {
        if (!ownModule(m) || m instanceof Lambda) return false;
        for (Module c : m.namedChildren().values()) if (!ownModules(c)) return false;
        return true;
    }

    static boolean ownModule(Object m) {
        return m.getClass().getName().startsWith("org.jgrad.") && !m.getClass().isAnonymousClass();
    }

    /** True if some module changes state during a training forward ({@link Module#changesStateInTraining}). */
    private static boolean stateful(Module m) {
        if (!m.isTraining()) return false;
        if (m.changesStateInTraining()) return true;
        for (Module c : m.namedChildren().values()) if (stateful(c)) return true;
        return false;
    }

    // ---------------------------------------------------------------- epochs

    /**
     * Runs {@code epochs} epochs (numbered from 0) and returns their statistics.
     *
     * @param train loader of the training batches
     * @param validation data evaluated after each epoch, or null for none
     * @param epochs number of epochs
     * @return one entry per epoch run (fewer than {@code epochs} after an early stop)
     */
    public List<EpochStats> fit(DataLoader train, Dataset validation, int epochs) {
        return fit(train, validation, 0, epochs);
    }

    /**
     * Runs epochs {@code firstEpoch} … {@code firstEpoch + epochs − 1} (for resuming).
     *
     * @param train loader of the training batches
     * @param validation data evaluated after each epoch, or null for none
     * @param firstEpoch number of the first epoch, which also picks the loader's shuffle order
     * @param epochs number of epochs
     * @return one entry per epoch run (fewer than {@code epochs} after an early stop)
     * @throws IllegalArgumentException if the loader has no batches or the validation set is empty
     */
    public List<EpochStats> fit(DataLoader train, Dataset validation, int firstEpoch, int epochs) {
        if (train.batches() == 0) {       // the loader refuses an empty dataset, but a dataset of the user's own may shrink
            throw new IllegalArgumentException("Trainer.fit: the training loader has no batches (its dataset has " + train.dataset().size()
                    + " samples, batch size " + train.batchSize() + "): an epoch would train on nothing and report a loss of 0");
        }
        if (validation != null && validation.size() == 0) {       // refused before an epoch's work, not after it
            throw new IllegalArgumentException("Trainer.fit: the validation set is empty (0 samples); pass null for no validation");
        }
        List<EpochStats> history = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        int sinceBest = 0;
        Map<String, float[]> bestWeights = null;
        for (int e = firstEpoch; e < firstEpoch + epochs; e++) {
            model.train();
            long start = System.nanoTime();
            Progress bar = new Progress(String.format(Locale.ROOT, "epoch %d", e), train.batches(),
                    out == null ? Progress.Mode.OFF : progress, out, 10);
            double lossSum = 0;
            long correct = 0, seen = 0;
            int done = 0;
            for (Batch b : train.epoch(e)) {
                StepResult r = step(b);
                for (var c : stepCallbacks) c.accept(r);
                lossSum += r.loss() * r.samples();
                correct += r.correct();
                seen += r.samples();
                bar.update(++done, seen, lossSum / seen);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            Evaluation val = validation == null ? new Evaluation(Double.NaN, Double.NaN, null) : evaluate(validation);
            double lr = optimizer.lr();
            if (scheduler != null) scheduler.step();
            EpochStats stats = new EpochStats(e, lossSum / Math.max(1, seen), (double) correct / Math.max(1, seen),
                    val.loss(), val.accuracy(), lr, secs, seen / secs);
            history.add(stats);
            if (out != null) out.println(stats);
            for (Callback c : callbacks) c.onEpochEnd(stats);
            if (patience > 0 && validation != null) {
                double score = Double.isNaN(val.accuracy()) || val.confusion() == null ? -val.loss() : val.accuracy();
                if (score > best) {
                    best = score;
                    sinceBest = 0;
                    if (restoreBest) bestWeights = snapshot();
                } else if (++sinceBest >= patience) {
                    if (out != null) out.println("early stopping: no improvement for " + patience + " epochs");
                    break;
                }
            }
        }
        if (bestWeights != null) restore(bestWeights);
        return history;
    }

    private Map<String, float[]> snapshot() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> copy.put(k, v.toArray()));
        return copy;
    }

    private void restore(Map<String, float[]> weights) {
        model.stateDict().forEach((k, v) -> System.arraycopy(weights.get(k), 0, v.data(), 0, v.numel()));
    }

    /**
     * Mean loss, accuracy and confusion matrix on a dataset, in eval mode without a graph.
     *
     * @param ds the data to evaluate on
     * @return the mean loss, the accuracy and the confusion matrix (NaN accuracy and no matrix unless the labels are class indices)
     * @throws IllegalArgumentException for an empty dataset (its loss would read 0)
     */
    public Evaluation evaluate(Dataset ds) {
        if (ds.size() == 0) {
            throw new IllegalArgumentException("Trainer.evaluate: the dataset is empty (0 samples): there is no loss or accuracy to report");
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var off = GradMode.off()) {
            double lossSum = 0;
            ConfusionMatrix cm = null;
            int[] idx = new int[Math.min(EVAL_BATCH, ds.size())];
            // the forward's arrays are reused by the next batch (megabytes each, which the JVM
            // allocates outside its young generation): the loss and the counts are read before the
            // scope closes, and nothing else of the forward outlives it (as in a shard, see
            // ShardStep); the batch is made outside, since a dataset may keep what it returns
            boolean reuse = mayReuseArrays(model, loss);
            for (int from = 0; from < ds.size(); from += EVAL_BATCH) {
                int len = Math.min(EVAL_BATCH, ds.size() - from);
                if (len != idx.length) idx = new int[len];
                for (int i = 0; i < len; i++) idx[i] = from + i;
                Batch b = ds.batch(idx);
                try (Arena.Scope scope = reuse ? Arena.open() : null) {
                    Tensor output = model.forward(b.features());
                    lossSum += loss.forward(output, b.labels()).item() * len;
                    if (classification(output, b.labels())) {
                        if (cm == null) cm = new ConfusionMatrix(output.size(1));
                        cm.add(b.labels().data(), output.data());
                    }
                }
            }
            return new Evaluation(lossSum / Math.max(1, ds.size()), cm == null ? Double.NaN : cm.accuracy(), cm);
        } finally {
            model.train(wasTraining);
        }
    }
}
