package org.jgrad.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jgrad.core.Parallel;
import org.jgrad.train.Progress;
import org.jgrad.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jgrad train}: the main job's options, typed and documented for picocli; {@link #options()}
 * checks them together (model, {@code --out}, {@code --plots}) and fills in the defaults that
 * depend on the model. {@link TrainExample.Options#parse} parses with it.
 */
@Command(name = "train", sortOptions = false, sortSynopsis = false,
        description = "The main job: trains the reference MLP or CNN on Fashion-MNIST with data-parallel SGD, printing "
                + "progress, per-epoch train/validation figures, the test accuracy and the confusion matrix.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--model", paramLabel = "mlp|cnn", description = "The network (default: ${DEFAULT-VALUE}).")
    String model = "mlp";

    @Option(names = "--epochs", paramLabel = "N", converter = Cli.Whole.class,
            description = "Passes over the training set (default: 5 for mlp, 3 for cnn).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", converter = Cli.Whole.class,
            description = "Images per step (default: 128 for mlp, 64 for cnn).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X", converter = Cli.Finite.class,
            description = "Learning rate of SGD with momentum 0.9, cosine-annealed (default: 0.1 for mlp, 0.05 for cnn).")
    Float lr;

    @Option(names = "--threads", paramLabel = "N", converter = Cli.Whole.class,
            description = "Worker threads (default: the available processors).")
    Integer threads;

    @Option(names = "--seed", paramLabel = "N", converter = Cli.WholeLong.class,
            description = "Seed of the initial weights and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder of the Fashion-MNIST IDX files (default: the installed dataset, else the 10,000 images shipped with the examples).")
    Path data;

    @Option(names = "--shard-size", paramLabel = "N", converter = Cli.Whole.class,
            description = "Images per shard of a batch (default: " + Trainer.DEFAULT_SHARD_SIZE + ").")
    Integer shardSize;

    @Option(names = "--limit", paramLabel = "N", converter = Cli.Whole.class,
            description = "Train on the first N training images only (default: all).")
    Integer limit;

    @Option(names = "--out", paramLabel = "FILE.safetensors",
            description = "Where the trained weights go (default: jgrad-out/<model>.safetensors).")
    String out;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Also draw training curves, the confusion matrix and (cnn) first-layer kernels as PNG files in DIR.")
    Path plots;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--warmup", negatable = true,
            description = "Warm the JIT up on a thread of its own during the data load (default: off).")
    boolean warmup;

    private final PrintStream stdout;

    /** A command that only parses (for {@link TrainExample.Options#parse}). */
    TrainCommand() {
        this(System.out);
    }

    /** A command that runs the job, printing to {@code stdout}. */
    TrainCommand(PrintStream stdout) {
        this.stdout = stdout;
    }

    /**
     * The parsed options, checked together, with the model's defaults filled in.
     *
     * @throws IllegalArgumentException naming the option, the value and what was expected
     */
    TrainExample.Options options() {
        if (!model.equals("mlp") && !model.equals("cnn")) {
            throw new IllegalArgumentException("train: --model must be mlp or cnn, got '" + model + "'");
        }
        boolean cnn = model.equals("cnn");
        Path outPath = null;
        if (out != null) {
            if (out.isBlank()) {
                throw new IllegalArgumentException("train: --out '" + out + "': names no file; expected a file path such as jgrad-out/"
                        + model + ".safetensors");
            }
            outPath = Path.of(out);
            // "dir/" means a folder even when it does not exist yet; Path.of drops the slash
            if (out.endsWith("/") || out.endsWith(java.io.File.separator)) {
                throw new IllegalArgumentException("train: --out " + out + ": names a directory; expected a file path such as "
                        + outPath.resolve(model + ".safetensors"));
            }
            TrainExample.Options.checkOut(outPath, model);
        }
        if (plots != null) TrainExample.Options.checkPlots(plots);
        return new TrainExample.Options(model, epochs != null ? epochs : cnn ? 3 : 5, batchSize != null ? batchSize : cnn ? 64 : 128,
                lr != null ? lr : cnn ? 0.05f : 0.1f, threads != null ? threads : Parallel.threads(), seed, data,
                shardSize != null ? shardSize : Trainer.DEFAULT_SHARD_SIZE,
                noProgress ? Progress.Mode.OFF : Progress.Mode.AUTO, limit != null ? limit : 0,
                outPath != null ? outPath : Path.of("jgrad-out", model + ".safetensors"), plots, warmup);
    }

    /** Runs the main job; exit code 0 (errors are exceptions, turned into exit codes by {@link Main}). */
    @Override
    public Integer call() throws Exception {
        TrainExample.run(options(), stdout);
        return 0;
    }
}
