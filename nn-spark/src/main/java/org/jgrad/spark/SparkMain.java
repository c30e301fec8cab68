package org.jgrad.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.TrainExample;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.optim.CosineAnnealingLR;
import org.jgrad.optim.SGD;
import org.jgrad.train.Trainer;
import picocli.CommandLine.Option;

/**
 * The main job on Apache Spark: {@code ./jgrad train --spark MASTER [train options]} trains the
 * reference MLP or CNN as {@code ./jgrad train} does (same model, data, SGD with momentum 0.9
 * and cosine schedule, batch, shards and seed) with a {@link SparkTrainer}, so its weights are
 * bitwise those of the single-machine run. MASTER is a Spark master URL: {@code local[2]} runs
 * two executor threads in this JVM; on a cluster, {@code spark-submit --class
 * org.jgrad.spark.SparkMain} with the master given by spark-submit (pass {@code --spark cluster}
 * to take it from there). The model's modules must not change state in training (no Dropout or
 * BatchNorm), which holds for both reference models.
 */
public final class SparkMain {

    private SparkMain() {}

    /** The option this job adds to the main job's (picocli parses both together, see {@link TrainExample.Options#parseWith}). */
    static final class Spark {
        @Option(names = "--spark", paramLabel = "MASTER",
                description = "Spark master URL: local[2] runs two executor threads in this JVM; 'cluster' takes it from spark-submit.")
        String master;
    }

    /** The command line parsed: the main job's options and the Spark master. */
    record Job(TrainExample.Options options, String master) {}

    /**
     * Parses {@code [train] --spark MASTER [train options]}: the main job's options, checked as
     * {@code ./jgrad train} checks them, and {@code --spark}.
     *
     * @throws IllegalArgumentException one line naming the option and what was expected
     */
    static Job parse(String... args) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("train")) rest.remove(0);
        // Spark spreads a batch's shards over partitions: shards of 32 unless given (the local
        // Trainer's default, 128, would make a batch of 128 one partition); put first, a --shard-size
        // given later wins (a repeated option keeps its last value)
        rest.addAll(0, List.of("--shard-size", "32"));
        Spark spark = new Spark();
        TrainExample.Options o = TrainExample.Options.parseWith(spark, rest.toArray(String[]::new));
        if (spark.master == null) throw new IllegalArgumentException("SparkMain: expected --spark MASTER (e.g. local[2])");
        return new Job(o, spark.master);
    }

    /**
     * {@code [train] --spark MASTER [train options]}.
     *
     * @param args the command line
     * @throws Exception if the data cannot be read or Spark fails
     */
    public static void main(String[] args) throws Exception {
        Job job = parse(args);
        TrainExample.Options o = job.options();
        String master = job.master();
        TrainExample.Data data = TrainExample.load(o.data(), o.seed());
        TensorDataset train = TrainExample.first(data.train(), o.limit());
        // Spark's start-up chatter (INFO) would bury the job's lines in local mode; on a cluster the
        // cluster's log settings stay in charge
        if (master.startsWith("local")) org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
        SparkConf conf = new SparkConf().setAppName("jgrad train " + o.model()).set("spark.ui.enabled", "false");
        if (!master.equals("cluster")) conf.setMaster(master);
        String model = o.model();
        long seed = o.seed();
        float lr = o.lr();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            SparkTrainer trainer = new SparkTrainer(sc, () -> TrainExample.model(model, seed), CrossEntropyLoss::new,
                    params -> new SGD(params, lr).momentum(0.9f)).shardSize(o.shardSize());
            trainer.scheduler(new CosineAnnealingLR((SGD) trainer.optimizer(), o.epochs(), 0f));
            System.out.printf(Locale.ROOT, "data: %s; %d train, %d validation, %d test images%n", data.source(), train.size(),
                    data.validationSet().size(), data.testSet().size());
            System.out.printf(Locale.ROOT, "model: %s (%,d parameters) on Spark %s, master %s; batch %d, shards of %d%n", model,
                    trainer.model().numParameters(), sc.version(), sc.master(), o.batchSize(), o.shardSize());
            long t0 = System.nanoTime();
            List<Trainer.EpochStats> history = trainer.fit(train, data.validation(), o.batchSize(), o.seed(), o.epochs());
            double seconds = (System.nanoTime() - t0) / 1e9;
            Trainer.Evaluation test = trainer.evaluate(data.testSet());
            System.out.printf(Locale.ROOT, "trained %d epochs in %.1fs (%.0f samples/s); test: loss %.4f, accuracy %.4f%n",
                    history.size(), seconds, history.size() * (double) train.size() / seconds, test.loss(), test.accuracy());
        }
    }
}
