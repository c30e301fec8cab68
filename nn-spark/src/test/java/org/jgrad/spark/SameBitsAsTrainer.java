package org.jgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.jgrad.core.Tensor;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Dataset;
import org.jgrad.data.Synthetic;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import org.jgrad.optim.SGD;
import org.jgrad.train.Progress;
import org.jgrad.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SparkTrainer against Trainer, bit for bit, on the local master a subclass names (one Spark
 * context per class: only one may run in a JVM at a time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SameBitsAsTrainer {

    protected JavaSparkContext sc;

    abstract String master();

    @BeforeAll
    void startSpark() {
        sc = start(master());
    }

    @AfterAll
    void stopSpark() {
        if (sc != null) sc.stop();
    }

    static JavaSparkContext start(String master) {
        return new JavaSparkContext(new SparkConf().setMaster(master).setAppName("jgrad-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "localhost").set("spark.driver.bindAddress", "127.0.0.1"));
    }

    // ---------------------------------------------------------------- models and data (static: serializable lambdas capture nothing)

    static Module mlp() {
        SplittableRandom rng = new SplittableRandom(3);
        return new Sequential(new Linear(2, 32, rng), new ReLU(), new Linear(32, 32, rng), new ReLU(), new Linear(32, 3, rng));
    }

    static Module cnn() {
        SplittableRandom rng = new SplittableRandom(4);
        return new Sequential(new Conv2d(1, 4, 3, 1, 1, rng), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 4 * 4, 3, rng));
    }

    /** 300 points of a 3-arm spiral: with a batch of 96, three batches of 6 shards of 16 and one of 12 samples. */
    static final TensorDataset SPIRAL = Synthetic.spiral(100, 3, 0.2, 1);

    /** 100 noisy 8×8 images, labelled by which third of the image is brightest. */
    static TensorDataset images(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 64], y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = rng.nextInt(3);
            y[i] = label;
            for (int p = 0; p < 64; p++) x[i * 64 + p] = (float) (rng.nextGaussian() * 0.5 + ((p % 8) / 3 == label ? 1 : 0));
        }
        return new TensorDataset(Tensor.of(x, n, 1, 8, 8), Tensor.of(y, n));
    }

    static float[] weights(Module m) {
        List<Tensor> ps = m.parameters();
        float[] all = new float[ps.stream().mapToInt(Tensor::numel).sum()];
        int at = 0;
        for (Tensor p : ps) {
            System.arraycopy(p.data(), 0, all, at, p.numel());
            at += p.numel();
        }
        return all;
    }

    /** Bit for bit, with a short message (the index and values of the first difference) instead of two long arrays. */
    static void assertBitwiseEqual(float[] got, float[] expected, String what) {
        assertThat(got.length).as("%s: number of values", what).isEqualTo(expected.length);
        int differ = 0, first = -1;
        for (int i = 0; i < got.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(expected[i])) {
                if (differ++ == 0) first = i;
            }
        }
        if (differ > 0) {
            throw new AssertionError(String.format("%s: %d of %d values differ, the first at [%d]: %s, expected %s", what, differ,
                    got.length, first, got[first], expected[first]));
        }
    }

    /** Trains both ways from the same factories and checks weights and epoch figures bit for bit. */
    void assertSameBits(ModelFactory model, OptimizerFactory opt, TensorDataset train, Dataset val, int batch, int shard, boolean fromRdd) {
        Module reference = model.create();
        var expected = new Trainer(reference, new CrossEntropyLoss(), opt.create(reference.parameters())).shardSize(shard)
                .progress(Progress.Mode.OFF).output(null).fit(new DataLoader(train, batch, true, 5), val, 2);

        var spark = new SparkTrainer(sc, model, CrossEntropyLoss::new, opt).shardSize(shard).output(null);
        var got = fromRdd ? spark.fit(sc.parallelize(samples(train), 3), train.featureShape(), val, batch, 5, 2)
                : spark.fit(train, val, batch, 5, 2);

        assertBitwiseEqual(weights(spark.model()), weights(reference), "weights on " + master() + (fromRdd ? " from an RDD" : ""));
        assertThat(weights(spark.model())).as("training changed the weights").isNotEqualTo(weights(model.create()));
        for (int e = 0; e < 2; e++) {
            assertThat(got.get(e).trainLoss()).as("epoch %d train loss", e).isEqualTo(expected.get(e).trainLoss());
            assertThat(got.get(e).trainAccuracy()).as("epoch %d train accuracy", e).isEqualTo(expected.get(e).trainAccuracy());
            assertThat(got.get(e).valLoss()).as("epoch %d validation loss", e).isEqualTo(expected.get(e).valLoss());
        }
    }

    /** The samples of a dataset as an RDD holds them. */
    static List<Sample> samples(TensorDataset ds) {
        List<Sample> out = new ArrayList<>();
        int row = ds.features().numel() / ds.size();
        for (int i = 0; i < ds.size(); i++) {
            out.add(new Sample(Arrays.copyOfRange(ds.features().data(), i * row, (i + 1) * row), ds.labels().data()[i]));
        }
        return out;
    }

    @Test
    void anMlpGetsTheTrainersWeightsBitForBit() {
        assertSameBits(SameBitsAsTrainer::mlp, p -> new SGD(p, 0.1f).momentum(0.9f), SPIRAL, Synthetic.spiral(20, 3, 0.2, 2), 96, 16, false);
    }

    @Test
    void aCnnGetsTheTrainersWeightsBitForBit() {
        assertSameBits(SameBitsAsTrainer::cnn, p -> new Adam(p, 0.01f), images(100, 8), images(30, 9), 32, 8, false);
    }

    @Test
    void anMlpOnAnRddOfSamplesGetsTheTrainersWeightsBitForBit() {
        assertSameBits(SameBitsAsTrainer::mlp, p -> new SGD(p, 0.1f).momentum(0.9f), SPIRAL, Synthetic.spiral(20, 3, 0.2, 2), 96, 16, true);
    }

    @Test
    void aCnnOnAnRddOfSamplesGetsTheTrainersWeightsBitForBit() {
        assertSameBits(SameBitsAsTrainer::cnn, p -> new Adam(p, 0.01f), images(100, 8), images(30, 9), 32, 8, true);
    }
}
