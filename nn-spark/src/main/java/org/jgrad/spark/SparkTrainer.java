package org.jgrad.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.jgrad.core.Gradients;
import org.jgrad.core.Tensor;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Dataset;
import org.jgrad.nn.Loss;
import org.jgrad.nn.Module;
import org.jgrad.optim.LRScheduler;
import org.jgrad.optim.Optimizer;
import org.jgrad.train.Trainer;
import scala.Function1;
import scala.Tuple2;

/**
 * Data-parallel training on Apache Spark with the same bits as {@link Trainer} on one machine.
 *
 * <p>Every step the driver broadcasts the weights as one flat array and cuts the minibatch into
 * shards of {@link #shardSize} samples, contiguous ranges of shards to a partition. A partition
 * runs its shards with the Trainer's own per-shard function ({@code ShardStep}) on a replica of
 * the model that its executor JVM built once from the {@link ModelFactory}, and sums them over
 * the largest whole subtrees of the fixed pairwise tree inside its range. {@code collect()}
 * brings the subtree sums back (indexed by partition, not in completion order), the driver
 * finishes the same tree as {@code Gradients.sumTree}, and its optimizer steps; optimizer state
 * never leaves the driver. No {@code reduce}, {@code fold} or {@code treeAggregate} touches a
 * gradient: they merge in completion order and change bits from run to run. So for the same
 * factories, seed, batch size, shard size and epochs,
 * {@code new SparkTrainer(sc, m, l, o).shardSize(s).fit(train, val, b, seed, e)} gives the
 * weights of {@code new Trainer(m.create(), l.create(), o.create(..)).shardSize(s).fit(new
 * DataLoader(train, b, true, seed), val, e)} bit for bit, on any number of executors and cores.
 *
 * <p>Not yet: modules that change state in a training forward (Dropout, BatchNorm): their shards
 * would have to run one after another, as the Trainer runs them, so the model is refused.
 *
 * <pre>{@code
 * jshell> var trainer = new SparkTrainer(sc, () -> mlp(3), CrossEntropyLoss::new, p -> new SGD(p, 0.1f)).shardSize(32);
 * jshell> var history = trainer.fit(train, validation, 512, 42, 5);
 * }</pre>
 */
public final class SparkTrainer {

    private final JavaSparkContext sc;
    private final ModelFactory models;
    private final LossFactory losses;
    private final Module model;
    private final Optimizer<?> optimizer;
    private final List<Tensor> params;
    private final List<Tensor> state;
    private final Trainer evaluator;
    /** Names this trainer's model replicas in the executors' JVMs. */
    private final String id = UUID.randomUUID().toString();
    private int shardSize = 32;
    private int partitions;
    private LRScheduler scheduler;
    private final List<Trainer.Callback> callbacks = new ArrayList<>();
    private PrintStream out = System.out;
    private String checkpoint;
    private long version, steps;

    /**
     * @throws IllegalArgumentException when a factory is not serializable, or the model has a module
     *         that changes state in a training forward
     */
    public SparkTrainer(JavaSparkContext sc, ModelFactory model, LossFactory loss, OptimizerFactory optimizer) {
        this.sc = sc;
        this.models = serializable("model factory", model);
        this.losses = serializable("loss factory", loss);
        serializable("optimizer factory", optimizer);
        this.model = model.create();
        refuseStateful(this.model, "");
        Loss driverLoss = loss.create();
        this.params = this.model.parameters();
        this.optimizer = optimizer.create(params);
        this.state = List.copyOf(this.model.stateDict().values());
        this.evaluator = new Trainer(this.model, driverLoss, this.optimizer).output(null);
    }

    /** Loss, accuracy and confusion matrix of the driver's model on {@code ds} (as {@link Trainer#evaluate}). */
    public Trainer.Evaluation evaluate(org.jgrad.data.Dataset ds) {
        return evaluator.evaluate(ds);
    }

    /**
     * Samples per shard, as {@link Trainer#shardSize(int)}: the bits depend on it. The default, 32,
     * is smaller than the Trainer's so that a batch spreads over several partitions.
     */
    public SparkTrainer shardSize(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkTrainer: shard size must be >= 1, got " + n);
        shardSize = n;
        return this;
    }

    /**
     * Partitions (Spark tasks) per step; 0, the default, takes the context's default parallelism.
     * Never changes a result, only how the shards are spread.
     */
    public SparkTrainer partitions(int n) {
        if (n < 0) throw new IllegalArgumentException("SparkTrainer: partitions must be >= 0 (0: the default parallelism), got " + n);
        partitions = n;
        return this;
    }

    /** A learning-rate schedule over {@link #optimizer()}, stepped once per epoch as on {@link Trainer}. */
    public SparkTrainer scheduler(LRScheduler s) {
        scheduler = s;
        return this;
    }

    /** Called after every epoch. */
    public SparkTrainer callback(Trainer.Callback c) {
        callbacks.add(c);
        return this;
    }

    /** Where per-epoch lines go (default System.out; null prints nothing). */
    public SparkTrainer output(PrintStream stream) {
        out = stream;
        return this;
    }

    /**
     * Writes a checkpoint (model, optimizer, scheduler, counters: nn-layers' {@code Checkpoint}
     * format) to {@code uri}, any Hadoop-compatible path, atomically after every epoch; and
     * {@link #fit} resumes from it when it exists, after the epoch it holds, with the bits of a
     * run that went straight through.
     */
    public SparkTrainer checkpoint(String uri) {
        checkpoint = uri;
        return this;
    }

    /** The driver's model: the trained weights after {@link #fit}. */
    public Module model() {
        return model;
    }

    /** The driver's optimizer (built by the factory over {@code model().parameters()}). */
    public Optimizer<?> optimizer() {
        return optimizer;
    }

    /**
     * Trains {@code epochs} epochs on minibatches of {@code batchSize} drawn as
     * {@code new DataLoader(train, batchSize, true, seed)} draws them, and returns each epoch's
     * statistics (validation on the driver; NaN without a validation set). With a
     * {@link #checkpoint} that exists, training resumes after the epoch it holds and runs
     * epochs up to {@code epochs − 1} only (their statistics alone are returned).
     *
     * @throws IllegalArgumentException when the batch size is not a multiple of the shard size,
     *         or the validation set is empty
     * @throws UncheckedIOException when the checkpoint cannot be read or written
     */
    public List<Trainer.EpochStats> fit(Dataset train, Dataset validation, int batchSize, long seed, int epochs) {
        checkArguments(batchSize, validation);
        DataLoader loader = new DataLoader(train, batchSize, true, seed);
        return epochs(validation, epochs, (e, each) -> {
            for (Batch b : loader.epoch(e)) each.accept(step(b));
        });
    }

    /**
     * Trains on samples that are already in Spark, so that they never pass through the driver:
     * the same minibatches, and the same bits, as {@link #fit(Dataset, Dataset, int, long, int)}
     * on a dataset whose sample i is the RDD's element i (its order, {@code zipWithIndex}), so
     * the RDD's order must be deterministic. Each epoch the driver broadcasts the epoch's order
     * (n ints) and one shuffle places every sample in the partition that computes its shard;
     * each step then runs a job over its own partitions only. The RDD is read once per epoch
     * (persist it if it is costly to compute).
     *
     * @param featureShape the shape of one sample's features, e.g. [1, 28, 28]
     */
    public List<Trainer.EpochStats> fit(JavaRDD<Sample> train, int[] featureShape, Dataset validation, int batchSize, long seed,
                                        int epochs) {
        checkArguments(batchSize, validation);
        long count = train.count();
        if (count == 0 || count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SparkTrainer.fit: the training RDD has " + count + " samples; expected 1 to "
                    + Integer.MAX_VALUE);
        }
        int n = (int) count, parts = Math.min(partitions(), batchSize / shardSize);
        int[] shape = featureShape.clone();
        JavaPairRDD<Sample, Long> indexed = train.zipWithIndex();
        DataLoader order = new DataLoader(sizeOnly(n, shape), batchSize, true, seed);
        StepPartitioner placer = new StepPartitioner(n, batchSize, shardSize, parts);
        return epochs(validation, epochs, (e, each) -> {
            int[] perm = order.order(e), pos = new int[n];
            for (int j = 0; j < n; j++) pos[perm[j]] = j;
            Broadcast<int[]> positions = sc.broadcast(pos);
            try {
                JavaPairRDD<Integer, Sample> placed = indexed.mapToPair(placeBy(positions)).partitionBy(placer);
                for (int b = 0; b < placer.batches(); b++) {
                    int from = b * parts, start = b * batchSize, len = placer.batchLength(b), shards = placer.shards(b);
                    each.accept(distributedStep(len, shards, parts, step -> {
                        var pruned = PartitionPruningRDD.create(placed.rdd(), partitionsIn(from, from + parts));
                        var job = new RddPartitionStep(step, start, len, shards, shardSize, parts, shape);
                        return JavaRDD.fromRDD(pruned, placed.classTag()).mapPartitionsWithIndex(job, false).collect();
                    }));
                }
            } finally {
                positions.destroy();
            }
        });
    }

    /** Keys each (sample, index) by the index's position in the epoch's order. */
    private static PairFunction<Tuple2<Sample, Long>, Integer, Sample> placeBy(Broadcast<int[]> positions) {
        return t -> new Tuple2<>(positions.value()[(int) (long) t._2()], t._1());
    }

    /** Spark's filter of partition indices (a Scala {@code Int => Boolean}). */
    private static Function1<Object, Object> partitionsIn(int from, int to) {
        return (Function1<Object, Object> & Serializable) i -> (Integer) i >= from && (Integer) i < to;
    }

    /** A dataset that knows only its size: the DataLoader's order of epoch e for n samples. */
    private static Dataset sizeOnly(int n, int[] featureShape) {
        return new Dataset() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public int[] featureShape() {
                return featureShape.clone();
            }

            @Override
            public Batch batch(int[] indices) {
                throw new UnsupportedOperationException("the samples are in an RDD");
            }
        };
    }

    private void checkArguments(int batchSize, Dataset validation) {
        if (batchSize < 1 || batchSize % shardSize != 0) {
            throw new IllegalArgumentException("SparkTrainer.fit: batch size " + batchSize + " is not a multiple of the shard size "
                    + shardSize + ", so a batch does not cut into whole shards; take a batch size of k × " + shardSize
                    + " or a shard size that divides " + batchSize);
        }
        if (validation != null && validation.size() == 0) {
            throw new IllegalArgumentException("SparkTrainer.fit: the validation set is empty (0 samples); pass null for no validation");
        }
    }

    /** Runs one epoch's steps, handing each step's result on. */
    private interface Epoch {
        void run(int epoch, Consumer<Trainer.StepResult> each);
    }

    /** The epoch loop of both forms of fit: statistics as the Trainer computes them, validation, schedule, checkpoint. */
    private List<Trainer.EpochStats> epochs(Dataset validation, int epochs, Epoch epoch) {
        List<Trainer.EpochStats> history = new ArrayList<>();
        int first = checkpoint == null ? 0 : resume();
        for (int e = first; e < epochs; e++) {
            long start = System.nanoTime();
            double[] lossSum = {0};
            long[] correct = {0}, seen = {0};
            epoch.run(e, r -> {
                lossSum[0] += r.loss() * r.samples();
                correct[0] += r.correct();
                seen[0] += r.samples();
            });
            double secs = (System.nanoTime() - start) / 1e9;
            Trainer.Evaluation val = validation == null ? new Trainer.Evaluation(Double.NaN, Double.NaN, null) : evaluator.evaluate(validation);
            double lr = optimizer.lr();
            if (scheduler != null) scheduler.step();
            var stats = new Trainer.EpochStats(e, lossSum[0] / Math.max(1, seen[0]), (double) correct[0] / Math.max(1, seen[0]),
                    val.loss(), val.accuracy(), lr, secs, seen[0] / secs);
            history.add(stats);
            if (out != null) out.println(stats);
            for (Trainer.Callback c : callbacks) c.onEpochEnd(stats);
            if (checkpoint != null) save(e);
        }
        return history;
    }

    /** Loads the checkpoint if there is one and returns the first epoch still to run. */
    private int resume() {
        try {
            if (!HadoopCheckpoints.exists(sc.hadoopConfiguration(), checkpoint)) return 0;
            var at = HadoopCheckpoints.load(sc.hadoopConfiguration(), checkpoint, model, optimizer, scheduler);
            steps = at.step();
            return Math.toIntExact(at.epoch() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot resume from the checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    private void save(int epoch) {
        try {
            HadoopCheckpoints.save(sc.hadoopConfiguration(), checkpoint, model, optimizer, scheduler, epoch, steps);
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: cannot write the checkpoint " + checkpoint + " after epoch " + epoch
                    + ": " + e.getMessage(), e);
        }
    }

    /** One optimizer step on a minibatch, its shards on the executors. */
    public Trainer.StepResult step(Batch batch) {
        int n = batch.size();
        if (n == 0) throw new IllegalArgumentException("SparkTrainer.step: the batch is empty (0 samples)");
        int shards = (n + shardSize - 1) / shardSize, parts = Math.min(partitions(), shards);
        List<ShardWork> work = new ArrayList<>(parts);
        for (int[] r : ShardTree.ranges(shards, parts)) work.add(work(batch, shards, r[0], r[1]));
        return distributedStep(n, shards, parts, step -> sc.parallelize(work, parts).map(step).collect());
    }

    private int partitions() {
        return partitions == 0 ? sc.defaultParallelism() : partitions;
    }

    /**
     * A step of {@code n} samples in {@code shards} shards spread over {@code parts} partitions:
     * broadcasts the weights, runs {@code job} (which applies the given step to each partition
     * and collects the subtree sums in partition order), finishes the tree and steps the optimizer.
     */
    private Trainer.StepResult distributedStep(int n, int shards, int parts, java.util.function.Function<PartitionStep, List<List<SubtreeSum>>> job) {
        int nodes = 0;
        for (int[] r : ShardTree.ranges(shards, parts)) nodes += ShardTree.nodesWithin(shards, r[0], r[1]).size();
        checkResultSize(nodes, parts);
        Broadcast<float[]> weights = sc.broadcast(flatWeights());
        List<List<SubtreeSum>> results;
        try {
            results = job.apply(new PartitionStep(id, models, losses, weights, ++version));
        } finally {
            weights.destroy();
        }

        float[][][] grads = new float[shards][][];
        double[] l = new double[shards];
        int[] end = new int[shards];
        long correct = 0;
        for (List<SubtreeSum> part : results) {
            for (SubtreeSum s : part) {
                grads[s.lo()] = s.grads();
                l[s.lo()] = s.loss();
                end[s.lo()] = s.hi();
                correct += s.correct();
            }
        }
        ShardTree.finish(grads, l, end, 0, shards);
        steps++;
        checkFinite(l[0], grads[0], n);
        for (int p = 0; p < params.size(); p++) params.get(p).setGrad(Tensor.of(grads[0][p], params.get(p).shape()));
        optimizer.step();
        return new Trainer.StepResult(l[0], correct, n);
    }

    /** Shards [from, to) of the batch: their rows of the features and labels. */
    private ShardWork work(Batch batch, int shards, int from, int to) {
        int n = batch.size();
        int firstRow = from * shardSize, rows = Math.min(n, to * shardSize) - firstRow;
        Tensor x = batch.features(), y = batch.labels();
        int xRow = x.numel() / n, yRow = y.numel() / n;
        return new ShardWork(from, to, shards, shardSize, n,
                Arrays.copyOfRange(x.data(), firstRow * xRow, (firstRow + rows) * xRow), Arrays.copyOfRange(x.shape(), 1, x.rank()),
                Arrays.copyOfRange(y.data(), firstRow * yRow, (firstRow + rows) * yRow), Arrays.copyOfRange(y.shape(), 1, y.rank()));
    }

    private float[] flatWeights() {
        int total = 0;
        for (Tensor t : state) total += t.numel();
        float[] flat = new float[total];
        int at = 0;
        for (Tensor t : state) {
            System.arraycopy(t.data(), 0, flat, at, t.numel());
            at += t.numel();
        }
        return flat;
    }

    /**
     * Refuses a step whose subtree sums would exceed {@code spark.driver.maxResultSize} before
     * Spark aborts the job halfway through an epoch.
     */
    private void checkResultSize(int nodes, int parts) {
        long limit = sc.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
        long floats = 0;
        for (Tensor p : params) floats += p.numel();
        String problem = resultSizeProblem(nodes, parts, floats, limit);
        if (problem != null) throw new IllegalStateException(problem);
    }

    /** Null when {@code nodes} sums of {@code floats} gradient values fit {@code limit} bytes (0: no limit). */
    static String resultSizeProblem(int nodes, int parts, long floats, long limit) {
        long bytes = nodes * (floats * 4 + 1024);
        if (limit <= 0 || bytes <= limit) return null;
        return String.format(Locale.ROOT, "SparkTrainer: a step brings %d gradient sums of %,d floats from %d partitions to the driver,"
                + " about %,d bytes, more than spark.driver.maxResultSize (%,d bytes); raise spark.driver.maxResultSize to at least"
                + " %,d (or 0 for no limit), or use fewer partitions", nodes, floats, parts, bytes, limit, bytes);
    }

    private void checkFinite(double loss, float[][] grads, int batch) {
        String what = null;
        if (!Double.isFinite(loss)) what = "the loss is " + loss;
        List<String> names = new ArrayList<>(model.namedParameters().keySet());
        for (int p = 0; what == null && p < grads.length; p++) {
            if (!Gradients.allFinite(grads[p])) what = "the gradient of parameter '" + names.get(p) + "' is not finite";
        }
        if (what != null) {
            throw new IllegalStateException("SparkTrainer: " + what + " at step " + steps + " (a batch of " + batch + " samples); the"
                    + " weights are those before this step. Lower the learning rate or look for NaN/Inf in the data");
        }
    }

    /** Java-serialises a factory now, so that a factory Spark cannot ship fails here, by name, not in a task. */
    private static <T> T serializable(String what, T factory) {
        if (factory == null) throw new IllegalArgumentException("SparkTrainer: the " + what + " is null");
        try (ObjectOutputStream o = new ObjectOutputStream(new ByteArrayOutputStream())) {
            o.writeObject(factory);
        } catch (IOException e) {
            throw new IllegalArgumentException("SparkTrainer: the " + what + " is not serializable (" + e
                    + "); Spark ships it to the executors, so it may capture only serializable values (no driver objects such as"
                    + " a model, a dataset or the SparkContext)", e);
        }
        return factory;
    }

    /** Refuses a module that changes state in a training forward, naming it by its dotted path. */
    private static void refuseStateful(Module m, String name) {
        if (m.changesStateInTraining()) {
            throw new IllegalArgumentException("SparkTrainer: " + (name.isEmpty() ? "the model" : "module '" + name + "'") + " ("
                    + m.getClass().getSimpleName() + ") changes state in a training forward (changesStateInTraining()), which"
                    + " SparkTrainer does not support yet: its shards would have to run one after another, as the Trainer runs"
                    + " them. Train this model with Trainer, or leave the module out");
        }
        for (var c : m.namedChildren().entrySet()) refuseStateful(c.getValue(), name.isEmpty() ? c.getKey() : name + "." + c.getKey());
    }
}
