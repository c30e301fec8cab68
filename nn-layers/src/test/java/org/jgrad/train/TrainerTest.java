package org.jgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Splits;
import org.jgrad.data.Subset;
import org.jgrad.data.Synthetic;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Linear;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import org.jgrad.optim.SGD;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    static Sequential mlp(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(2, 64, rng), new ReLU(), new Linear(64, 64, rng), new ReLU(), new Linear(64, 3, rng));
    }

    /** Same seed, same weights after two epochs, bit for bit, on 1, 2, 3, 4 and 8 threads. */
    @Test
    void weightsAreBitwiseIdenticalForAnyThreadCount() {
        TensorDataset data = Synthetic.spiral(200, 3, 0.2, 1);
        int[] threads = {1, 2, 3, 4, 8};
        float[][] weights = new float[threads.length][];
        for (int t = 0; t < threads.length; t++) {
            Parallel.setThreads(threads[t]);
            Sequential model = mlp(3);
            var trainer = new Trainer(model, new CrossEntropyLoss(), new SGD(model.parameters(), 0.1f).momentum(0.9f))
                    .shardSize(16).progress(Progress.Mode.OFF);
            trainer.fit(new DataLoader(data, 100, true, 5), null, 2);
            weights[t] = flatten(model.parameters());
        }
        for (int t = 1; t < threads.length; t++) assertThat(weights[t]).as("%d threads", threads[t]).isEqualTo(weights[0]);
    }

    /**
     * evaluate() reuses the forward's arrays from batch to batch (the model is jgrad's own): its
     * loss and accuracy equal those of one forward over the whole set (more than three batches
     * and a tail), and a second call gives the same values.
     */
    @Test
    void evaluateMatchesOneForwardOverTheWholeSet() {
        TensorDataset data = Synthetic.spiral(150, 3, 0.2, 2);   // 450 samples
        Sequential model = mlp(5);
        var ce = new CrossEntropyLoss();
        var trainer = new Trainer(model, ce, new SGD(model.parameters(), 0.1f)).progress(Progress.Mode.OFF);
        Trainer.Evaluation e = trainer.evaluate(data);
        model.eval();
        Tensor out = model.forward(data.features());
        double loss = ce.forward(out, data.labels()).item();
        long correct = org.jgrad.train.Metrics.countTopK(out.data(), data.labels().data(), 3, 1);
        assertThat(e.loss()).isCloseTo(loss, org.assertj.core.api.Assertions.within(1e-5));
        assertThat(e.accuracy()).isEqualTo(correct / 450.0);
        Trainer.Evaluation again = trainer.evaluate(data);
        assertThat(again.loss()).isEqualTo(e.loss());
        assertThat(again.accuracy()).isEqualTo(e.accuracy());
    }

    /** The same for a user's own loop (zeroGrad, backward, step) over the public API. */
    @Test
    void aPlainTrainingLoopGivesTheSameWeightsOnAnyThreadCount() {
        TensorDataset data = Synthetic.spiral(200, 3, 0.2, 1);
        int[] threads = {1, 2, 3, 8};
        float[][] weights = new float[threads.length][];
        for (int t = 0; t < threads.length; t++) {
            Parallel.setThreads(threads[t]);
            Sequential model = mlp(3);
            SGD sgd = new SGD(model.parameters(), 0.1f).momentum(0.9f);
            for (int epoch = 0; epoch < 2; epoch++) {
                for (var batch : new DataLoader(data, 100, true, 5).epoch(epoch)) {
                    sgd.zeroGrad();
                    new CrossEntropyLoss().forward(model.forward(batch.features()), batch.labels()).backward();
                    sgd.step();
                }
            }
            weights[t] = flatten(model.parameters());
        }
        for (int t = 1; t < threads.length; t++) assertThat(weights[t]).as("%d threads", threads[t]).isEqualTo(weights[0]);
    }

    static float[] flatten(List<Tensor> ps) {
        int n = ps.stream().mapToInt(Tensor::numel).sum();
        float[] all = new float[n];
        int at = 0;
        for (Tensor p : ps) {
            System.arraycopy(p.data(), 0, all, at, p.numel());
            at += p.numel();
        }
        return all;
    }

    /** The tree sum is the fixed ((s0+s1)+(s2+s3))+s4 order. */
    @Test
    void shardGradientsAreSummedByAFixedPairwiseTree() {
        float[][][] g = new float[5][1][];
        float[] v = {1e8f, 1f, -1e8f, 1f, 0.5f};
        for (int s = 0; s < 5; s++) g[s][0] = new float[] {v[s]};
        org.jgrad.core.Gradients.sumTree(g, 0, 5);
        assertThat(g[0][0][0]).isEqualTo(((v[0] + v[1]) + (v[2] + v[3])) + v[4]);
    }

    /** The course's point: a small ReLU net separates the spiral, a linear classifier cannot. */
    @Test
    void anMlpLearnsTheSpiralAndALinearModelCannot() {
        TensorDataset data = Synthetic.spiral(300, 3, 0.15, 11);
        Subset[] parts = Splits.randomSplit(data, 2, 0.8, 0.2);
        Sequential net = mlp(5);
        var trainer = new Trainer(net, new CrossEntropyLoss(), new Adam(net.parameters(), 0.01f)).progress(Progress.Mode.OFF);
        trainer.fit(new DataLoader(parts[0], 32, true, 3), null, 40);
        double netAcc = trainer.evaluate(parts[1]).accuracy();
        Sequential linear = new Sequential(new Linear(2, 3, new SplittableRandom(5)));
        var linTrainer = new Trainer(linear, new CrossEntropyLoss(), new Adam(linear.parameters(), 0.01f)).progress(Progress.Mode.OFF);
        linTrainer.fit(new DataLoader(parts[0], 32, true, 3), null, 40);
        double linAcc = linTrainer.evaluate(parts[1]).accuracy();
        assertThat(netAcc).isGreaterThanOrEqualTo(0.95);
        assertThat(linAcc).isLessThan(0.70);
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        TensorDataset data = Synthetic.spiral(100, 3, 0.2, 4);
        Subset[] parts = Splits.randomSplit(data, 2, 0.7, 0.3);
        Sequential net = mlp(9);
        // a learning rate far too high makes validation accuracy wander, so stopping triggers
        var trainer = new Trainer(net, new CrossEntropyLoss(), new SGD(net.parameters(), 2f)).progress(Progress.Mode.OFF)
                .earlyStopping(2, true);
        List<Trainer.EpochStats> history = trainer.fit(new DataLoader(parts[0], 16, true, 1), parts[1], 30);
        double best = history.stream().mapToDouble(Trainer.EpochStats::valAccuracy).max().orElseThrow();
        assertThat(history.size()).isLessThan(30);
        assertThat(trainer.evaluate(parts[1]).accuracy()).isEqualTo(best);
    }

    @Test
    void callbacksSeeEveryEpochAndMetricsAreRight() {
        TensorDataset data = Synthetic.spiral(30, 3, 0.2, 4);
        Sequential net = mlp(1);
        int[] calls = {0};
        new Trainer(net, new CrossEntropyLoss(), new SGD(net.parameters(), 0.1f)).progress(Progress.Mode.OFF)
                .callback(s -> calls[0]++).fit(new DataLoader(data, 30, false, 1), data, 3);
        assertThat(calls[0]).isEqualTo(3);
        Tensor logits = Tensor.of(new float[] {2, 1, 0, 0, 1, 2, 1, 2, 0}, 3, 3);
        Tensor labels = Tensor.of(new float[] {0, 1, 1});
        assertThat(Metrics.accuracy(logits, labels)).isEqualTo(2.0 / 3);
        assertThat(Metrics.topKAccuracy(logits, labels, 2)).isEqualTo(1.0);
        ConfusionMatrix cm = Metrics.confusion(logits, labels);
        assertThat(cm.count(1, 2)).isEqualTo(1);
        assertThat(cm.recall(1)).isEqualTo(0.5);
        assertThat(cm.precision(2)).isEqualTo(0.0);
        assertThat(cm.toTable()).contains("accuracy 0.6667 over 3 samples");
    }

    /** Ties and NaN rows counted as right for every label before (a diverged run printed acc 1.0000). */
    @Test
    void accuracyConfusionAndArgmaxShareOneRuleForTiesAndNaN() {
        Tensor labels = Tensor.of(new float[] {0, 3, 3, 9});
        Tensor ties = Tensor.zeros(4, 10);
        float[] nan = new float[40];
        java.util.Arrays.fill(nan, Float.NaN);
        for (Tensor logits : new Tensor[] {ties, Tensor.of(nan, 4, 10)}) {
            assertThat(Metrics.accuracy(logits, labels)).isEqualTo(0.25);       // only the label in column 0
            assertThat(Metrics.confusion(logits, labels).accuracy()).isEqualTo(0.25);
            assertThat(logits.argmax(1).toArray()).containsExactly(0, 0, 0, 0);
            assertThat(Metrics.topKAccuracy(logits, labels, 4)).isEqualTo(0.75);   // columns 0-3 come first
        }
        // a NaN is the maximum, wherever it is
        Tensor mixed = Tensor.of(new float[] {1, Float.NaN, 2, 5, 4, 5}, 2, 3);
        assertThat(mixed.argmax(1).toArray()).containsExactly(1, 0);
        assertThat(Metrics.accuracy(mixed, Tensor.of(new float[] {1, 0}))).isEqualTo(1.0);
        assertThat(Metrics.accuracy(mixed, Tensor.of(new float[] {2, 2}))).isEqualTo(0.0);
        assertThat(Metrics.argmax(new float[] {1, Float.NaN, 2}, 0, 3)).isEqualTo(1);
        assertThat(Metrics.topKAccuracy(mixed, Tensor.of(new float[] {2, 2}), 2)).isEqualTo(1.0);
    }

    /** Trainer reuses its shards' arrays between steps: a tensor a user's module keeps must not change. */
    @Test
    void anActivationACustomModuleKeepsSurvivesLaterSteps() {
        List<Tensor> kept = new java.util.ArrayList<>();
        SplittableRandom rng = new SplittableRandom(2);
        Sequential net = new Sequential(new Linear(2, 16, rng), new org.jgrad.nn.Lambda("spy", x -> {
            kept.add(x);
            return x;
        }), new ReLU(), new Linear(16, 3, rng));
        Trainer trainer = new Trainer(net, new CrossEntropyLoss(), new SGD(net.parameters(), 0.1f)).progress(Progress.Mode.OFF);
        TensorDataset data = Synthetic.spiral(20, 3, 0.2, 4);
        var batch = data.all();
        trainer.step(batch);
        float[] first = kept.get(0).toArray();
        for (int i = 0; i < 3; i++) trainer.step(batch);
        assertThat(kept.get(0).toArray()).isEqualTo(first);
        assertThat(Trainer.ownModules(net)).isFalse();
        assertThat(Trainer.ownModules(mlp(1))).isTrue();
    }

    /**
     * A custom module that declares state changed in a training forward (here: the order it saw
     * its shards in) makes the Trainer run a batch's shards one after another, in shard order, on
     * the calling thread, on any thread count; a module that does not declare it shards in parallel.
     */
    @Test
    void aCustomModuleWithStateRunsItsShardsInOrder() {
        class Recorder extends org.jgrad.nn.Module {
            final boolean declares;
            final List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            // an undeclared module's first two shards wait for each other: they pass only if two threads run them at once
            final java.util.concurrent.CyclicBarrier meet = new java.util.concurrent.CyclicBarrier(2);
            final java.util.concurrent.atomic.AtomicInteger arrivals = new java.util.concurrent.atomic.AtomicInteger();

            Recorder(boolean declares) {
                this.declares = declares;
            }

            @Override
            public boolean changesStateInTraining() {
                return declares;
            }

            @Override
            public Tensor forward(Tensor x) {
                seen.add(Thread.currentThread().getName() + " " + x.get(0, 0));
                if (!declares && arrivals.getAndIncrement() < 2) {
                    try {
                        meet.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("two shards did not run at the same time on different threads", e);
                    }
                }
                return x;
            }
        }
        int before = Parallel.threads();
        try {
            Parallel.setThreads(4);
            float[] f = new float[8 * 2];
            for (int i = 0; i < 8; i++) f[2 * i] = i;             // the first feature of sample i is i
            var batch = new org.jgrad.data.Batch(Tensor.of(f, 8, 2), Tensor.of(new float[8], 8));
            String caller = Thread.currentThread().getName();
            Recorder ordered = new Recorder(true);
            Sequential net = new Sequential(ordered, new Linear(2, 3, new SplittableRandom(3)));
            new Trainer(net, new CrossEntropyLoss(), new SGD(net.parameters(), 0.1f)).shardSize(2)
                    .progress(Progress.Mode.OFF).step(batch);
            assertThat(ordered.seen).containsExactly(caller + " 0.0", caller + " 2.0", caller + " 4.0", caller + " 6.0");
            // without the declaration the shards share the threads: two of them meet inside forward
            Recorder free = new Recorder(false);
            Sequential parallel = new Sequential(free, new Linear(2, 3, new SplittableRandom(3)));
            new Trainer(parallel, new CrossEntropyLoss(), new SGD(parallel.parameters(), 0.1f)).shardSize(2)
                    .progress(Progress.Mode.OFF).step(batch);
            assertThat(free.seen).hasSize(4).anyMatch(e -> !e.startsWith(caller + " "));
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** The arena changes where arrays come from, never a value: the same weights as fresh arrays give. */
    @Test
    void reusedArraysGiveTheSameWeightsAsFreshOnes() {
        TensorDataset data = Synthetic.spiral(40, 3, 0.2, 4);
        Sequential reused = mlp(3), fresh = mlp(3);
        // a no-op Lambda makes the second model "custom", so its Trainer allocates fresh arrays
        Sequential freshWrapped = new Sequential(fresh, new org.jgrad.nn.Lambda("id", x -> x));
        Trainer a = new Trainer(reused, new CrossEntropyLoss(), new SGD(reused.parameters(), 0.1f).momentum(0.9f))
                .shardSize(16).progress(Progress.Mode.OFF);
        Trainer b = new Trainer(freshWrapped, new CrossEntropyLoss(), new SGD(freshWrapped.parameters(), 0.1f).momentum(0.9f))
                .shardSize(16).progress(Progress.Mode.OFF);
        var batch = data.all();
        for (int i = 0; i < 5; i++) {
            a.step(batch);
            b.step(batch);
        }
        for (int p = 0; p < reused.parameters().size(); p++) {
            assertThat(reused.parameters().get(p).toArray()).isEqualTo(fresh.parameters().get(p).toArray());
        }
    }

    /** One NaN pixel used to leave hundreds of NaN weights, silently saved. */
    @Test
    void aNonFiniteLossStopsTrainingBeforeTheWeightsChange() {
        TensorDataset clean = Synthetic.spiral(20, 3, 0.2, 4);
        float[] x = clean.features().toArray();
        x[5] = Float.NaN;
        TensorDataset dirty = new TensorDataset(Tensor.of(x, clean.features().shape()), clean.labels());
        Sequential net = mlp(1);
        float[] before = flatten(net.parameters());
        Trainer trainer = new Trainer(net, new CrossEntropyLoss(), new SGD(net.parameters(), 0.1f)).progress(Progress.Mode.OFF);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> trainer.fit(new DataLoader(dirty, 60, false, 1), null, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Trainer: the loss is NaN at step 1 (a batch of 60 samples)");
        assertThat(flatten(net.parameters())).isEqualTo(before);
        // switched off, it trains on (and the weights go NaN, as before)
        Sequential net2 = mlp(1);
        new Trainer(net2, new CrossEntropyLoss(), new SGD(net2.parameters(), 0.1f)).progress(Progress.Mode.OFF)
                .stopOnNonFinite(false).fit(new DataLoader(dirty, 60, false, 1), null, 1);
        assertThat(flatten(net2.parameters())).contains(Float.NaN);
    }
}
