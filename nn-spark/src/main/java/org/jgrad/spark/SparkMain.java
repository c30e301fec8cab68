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

    public static void main(String[] args) throws Exception {
        String master = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("train") && i == 0) continue;
            if (args[i].equals("--spark")) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("train: --spark needs a master URL such as local[2]");
                master = args[++i];
            } else {
                rest.add(args[i]);
            }
        }
        if (master == null) throw new IllegalArgumentException("SparkMain: expected --spark MASTER (e.g. local[2])");
        // Spark spreads a batch's shards over partitions: shards of 32 unless given (the local
        // Trainer's default, 128, would make a batch of 128 one partition)
        if (!rest.contains("--shard-size")) rest.addAll(List.of("--shard-size", "32"));
        TrainExample.Options o = TrainExample.Options.parse(rest.toArray(String[]::new));
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
