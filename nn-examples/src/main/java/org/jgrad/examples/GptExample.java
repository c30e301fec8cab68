package org.jgrad.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.LayerNorm;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.PositionalEncoding;
import org.jgrad.nn.TransformerEncoderLayer;
import org.jgrad.nn.sampling.Sampler;
import org.jgrad.optim.Adam;
import org.jgrad.optim.AdamW;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A character-level decoder-only transformer (a tiny GPT) that invents first names, on the same
 * data and vocabulary as {@link NameGenerator}'s LSTM: the 26 letters plus '.', which marks both
 * the start and the end of a name.
 *
 * <p>Architecture ({@link Gpt}): token embedding plus a learned positional embedding (an
 * {@link Embedding} over the positions 0..context-1), then N pre-norm
 * {@link TransformerEncoderLayer}s (GELU, feed-forward 4·dModel, no dropout) applied with the
 * causal mask ({@link TransformerEncoderLayer#forwardCausal}), so position t sees only 0..t,
 * then a final {@link LayerNorm} and a {@link Linear} head to the 27 symbols. The context is the
 * longest name plus one: the input ".emma" predicts "emma.".
 *
 * <p>Padding: the names of a batch are padded on the right, up to the context, with '.', and the
 * padding positions are masked out of the loss (CrossEntropyLoss has no ignore_index here, so the
 * per-token losses are multiplied by a 0/1 mask and divided by the number of real tokens). No key
 * padding mask is needed: the padding comes after every real position, and the causal mask
 * already keeps a real position from attending to a later one, so the real positions compute
 * exactly what they would without the padding. This is simpler than fixed-length windows over a
 * concatenated stream, and every name starts at position 0, as in sampling.
 *
 * <p>Trained with AdamW (weight decay 0.01) and gradient clipping; names are then sampled one
 * character at a time with a temperature and top-k ({@link Sampler#topK}), feeding the whole
 * prefix each step. For comparison the {@code names} LSTM is trained in the same process for the
 * same number of epochs with its hidden size chosen so that its parameter count is the closest to
 * the transformer's, and both loss curves (mean loss per character per epoch) are drawn in
 * {@code gpt_vs_lstm_loss.png}, with the loss a model that memorised the list would reach.
 * With about 60k parameters for 332 names both models come close to memorising the list in 40
 * epochs, so most samples are then training names; {@code --epochs 10} gives mostly new ones.
 *
 * <p>{@code --corpus shakespeare} ({@link #runText}) trains the same architecture on a text
 * instead: about 300 KB of Shakespeare ({@link CharCorpus#shakespeare()}), random windows of
 * {@code --context} characters each predicting the next character at every position, the last
 * 10 % held out for validation; beside it, on the same batches for the same steps, the names
 * example's Embedding → LSTM → Linear ({@link NameGenerator.CharLstm}) with the closest parameter
 * count. Both print and draw their training and validation losses ({@code
 * gpt_vs_lstm_shakespeare.png}) and write a few hundred characters with a temperature and top-k.
 *
 * <pre>
 *   ./jgrad gpt --out plots --epochs 40 --temperature 0.9 --top-k 10
 *   ./jgrad gpt --corpus shakespeare --out plots --steps 600 --temperature 0.8 --top-k 10
 * </pre>
 */
public final class GptExample {

    static final String ALPHABET = NameGenerator.ALPHABET;   // index 0 is the start/end mark

    private static final java.awt.Color GPT_COLOR = new java.awt.Color(0x1f77b4), LSTM_COLOR = new java.awt.Color(0xd62728);

    /**
     * What a run gives: the parameter count, the mean loss per character of every epoch, the
     * samples and how many are new, and the LSTM's loss curve and parameter count (empty and 0
     * without the comparison), and the plot (null without the comparison).
     */
    public record Result(long parameters, List<Float> losses, List<String> samples, int novel,
                         List<Float> lstmLosses, long lstmParameters, Path plot) {

        /** The last epoch's mean loss per character. */
        public float loss() {
            return losses.get(losses.size() - 1);
        }
    }

    /** The sizes of the model and of its training. */
    public record Config(int dModel, int layers, int heads, int epochs, float lr, int batch, long seed) {}

    private GptExample() {}

    /** {@code --positions}: learned (an Embedding over 0..T−1) or sinusoidal ({@link PositionalEncoding}, no parameters). */
    private static boolean sinusoidal(String positions) {
        return switch (positions) {
            case "learned" -> false;
            case "sinusoidal" -> true;
            default -> throw new IllegalArgumentException("gpt: --positions expects learned or sinusoidal, got '" + positions + "'");
        };
    }

    /**
     * The sizes of a run on a text: the window (context) and the transformer's shape, steps of
     * {@code batch} random windows, losses every {@code evalEvery} steps, AdamW's learning rate for
     * the transformer and Adam's for the LSTM; {@code sinusoidal} positions instead of learned ones.
     */
    public record TextConfig(int context, int dModel, int layers, int heads, int steps, int evalEvery, int batch, float lr,
                             float lstmLr, long seed, boolean sinusoidal) {}

    /**
     * One model of a text run: its parameter count, the mean training loss per character since the
     * previous evaluation and the validation loss at every evaluation, its sample and its training
     * time in seconds.
     */
    public record Trained(long parameters, List<Float> train, List<Float> validation, String sample, double seconds) {}

    /** A text run: the steps at which both models were evaluated, the two models and the plot. */
    public record TextResult(List<Integer> steps, Trained gpt, Trained lstm, Path plot) {}

    /**
     * {@code gpt}'s options. {@code --corpus names} (the default) trains on the names and compares with
     * the names LSTM, {@code --corpus shakespeare} on a text beside a char-LSTM of the same size; some
     * options belong to one of them only (they are {@code null} when not given, and refused for the
     * other corpus, where they would do nothing), some have a default per corpus.
     */
    @Command(name = "gpt")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--corpus", paramLabel = "names|shakespeare",
                description = "What to learn: first names, or 300 KB of Shakespeare (default: ${DEFAULT-VALUE}).")
        String corpus = "names";

        @Option(names = "--d-model", paramLabel = "D", converter = Cli.Positive.class,
                description = "Width of the transformer (default: 48 for names, 64 for shakespeare).")
        Integer dModel;

        @Option(names = "--layers", paramLabel = "L", converter = Cli.Positive.class,
                description = "Transformer layers (default: ${DEFAULT-VALUE}).")
        int layers = 2;

        @Option(names = "--heads", paramLabel = "H", converter = Cli.Positive.class,
                description = "Attention heads; they must divide --d-model (default: ${DEFAULT-VALUE}).")
        int heads = 4;

        @Option(names = "--lr", paramLabel = "X",
                description = "The transformer's learning rate (default: 0.005 for names, 0.01 for shakespeare).")
        Double lr;

        @Option(names = "--temperature", paramLabel = "T",
                description = "Sampling temperature (default: 0.9 for names, 0.8 for shakespeare).")
        Double temperature;

        @Option(names = "--top-k", paramLabel = "K", converter = Cli.Positive.class,
                description = "Sample from the K likeliest characters (default: ${DEFAULT-VALUE}).")
        int topK = 10;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Option(names = "--epochs", paramLabel = "N",
                description = "names: passes over the names (default: 40).")
        Integer epochs;

        @Option(names = "--samples", paramLabel = "K",
                description = "names: names invented (default: 20).")
        Integer samples;

        @Option(names = "--compare", paramLabel = "0|1",
                description = "names: 1 to train the names LSTM too and plot both loss curves (default: 1).")
        Integer compare;

        @Option(names = "--steps", paramLabel = "N", converter = Cli.Positive.class,
                description = "shakespeare: training steps (default: 600).")
        Integer steps;

        @Option(names = "--eval-every", paramLabel = "N", converter = Cli.Positive.class,
                description = "shakespeare: losses every N steps (default: 100).")
        Integer evalEvery;

        @Option(names = "--context", paramLabel = "T", converter = Cli.Positive.class,
                description = "shakespeare: characters per window (default: 64).")
        Integer context;

        @Option(names = "--batch", paramLabel = "B", converter = Cli.Positive.class,
                description = "shakespeare: windows per step (default: 32).")
        Integer batch;

        @Option(names = "--lstm-lr", paramLabel = "X",
                description = "shakespeare: the LSTM's learning rate (default: 0.01).")
        Double lstmLr;

        @Option(names = "--length", paramLabel = "N", converter = Cli.Positive.class,
                description = "shakespeare: characters per sample (default: 300).")
        Integer length;

        @Option(names = "--positions", paramLabel = "learned|sinusoidal",
                description = "shakespeare: position encoding (default: learned).")
        String positions;

        @Override
        public Record run(PrintStream stdout) throws IOException {
            if (corpus.equals("shakespeare")) {
                only("names", epochs, "--epochs", samples, "--samples", compare, "--compare");
                TextConfig c = new TextConfig(or(context, 64), or(dModel, 64), layers, heads, or(steps, 600), or(evalEvery, 100),
                        or(batch, 32), or(lr, 0.01).floatValue(), or(lstmLr, 0.01).floatValue(), seed, sinusoidal(or(positions, "learned")));
                if (c.dModel() % c.heads() != 0) {
                    throw new IllegalArgumentException("gpt: --d-model " + c.dModel() + " must be divisible by --heads " + c.heads());
                }
                return runText(stdout, CharCorpus.shakespeare(), c, or(length, 300), or(temperature, 0.8), topK, out.dir());
            }
            if (!corpus.equals("names")) throw new IllegalArgumentException("gpt: --corpus expects names or shakespeare, got '" + corpus + "'");
            only("shakespeare", steps, "--steps", evalEvery, "--eval-every", context, "--context", batch, "--batch", lstmLr, "--lstm-lr",
                    length, "--length", positions, "--positions");
            Config c = new Config(or(dModel, 48), layers, heads, or(epochs, 40), or(lr, 0.005).floatValue(), 32, seed);
            return GptExample.run(stdout, NameGenerator.loadNames(), c, or(samples, 20), or(temperature, 0.9), topK,
                    or(compare, 1) != 0 ? out.dir() : null);
        }

        /** An option's value, or its default for the corpus run. */
        private static <T> T or(T value, T otherwise) {
            return value != null ? value : otherwise;
        }

        /** Refuses the options of the other corpus (value, name, value, name, ...): they would be ignored. */
        private static void only(String corpus, Object... valuesAndNames) {
            for (int i = 0; i < valuesAndNames.length; i += 2) {
                if (valuesAndNames[i] != null) {
                    throw new IllegalArgumentException("gpt: " + valuesAndNames[i + 1] + " is an option of --corpus " + corpus + " only");
                }
            }
        }
    }

    /**
     * {@code gpt [options]} with the options of {@link Options} (the entry point of tests and notebooks):
     * the names run ({@link #run}) or, with {@code --corpus shakespeare}, the text run ({@link #runText}).
     *
     * @param args the options
     * @param out where the progress and the samples go
     * @return the names run's {@link Result}, or the text run's {@link TextResult}
     * @throws IOException if a picture cannot be written
     */
    public static Record main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /**
     * The decoder-only transformer: {@code tok_emb}, {@code pos_emb}, {@code layers.0..N-1}
     * (pre-norm {@link TransformerEncoderLayer}s run causally), {@code ln_f} and {@code head}.
     * {@link #forward} takes token indices {@code [N, T]} with T at most the context and gives
     * logits {@code [N, T, vocab]}.
     */
    public static final class Gpt extends Module {
        private final int context;
        private final Embedding tokEmb, posEmb;
        private final PositionalEncoding sinusoids;
        private final CausalLayers layers;
        private final LayerNorm lnF;
        private final Linear head;

        /**
         * @param vocab number of symbols
         * @param context longest input, the number of learned positions
         * @param dModel width, divisible by heads
         * @param numLayers number of transformer layers
         * @param heads attention heads per layer
         * @param rng source of the initial weights
         */
        public Gpt(int vocab, int context, int dModel, int numLayers, int heads, RandomGenerator rng) {
            this(vocab, context, dModel, numLayers, heads, false, rng);
        }

        /**
         * @param vocab number of symbols
         * @param context longest input
         * @param dModel width, divisible by heads
         * @param numLayers number of transformer layers
         * @param heads attention heads per layer
         * @param sinusoidal fixed sinusoidal positions ({@link PositionalEncoding}) instead of learned ones
         * @param rng source of the initial weights
         */
        public Gpt(int vocab, int context, int dModel, int numLayers, int heads, boolean sinusoidal, RandomGenerator rng) {
            this.context = context;
            tokEmb = registerModule("tok_emb", new Embedding(vocab, dModel, rng));
            posEmb = sinusoidal ? null : registerModule("pos_emb", new Embedding(context, dModel, rng));
            sinusoids = sinusoidal ? registerModule("pos_enc", new PositionalEncoding(dModel, context)) : null;
            layers = registerModule("layers", new CausalLayers(numLayers, dModel, heads, rng));
            lnF = registerModule("ln_f", new LayerNorm(dModel));
            head = registerModule("head", new Linear(dModel, vocab, rng));
        }

        /** The longest input, in positions. */
        public int context() {
            return context;
        }

        @Override
        public Tensor forward(Tensor idx) {
            if (idx.rank() != 2 || idx.size(1) > context) {
                throw new IllegalArgumentException("Gpt: expected token indices [N, T] with T at most " + context);
            }
            int t = idx.size(1);
            Tensor tokens = tokEmb.forward(idx);
            Tensor x = sinusoids != null ? sinusoids.forward(tokens) : tokens.add(posEmb.forward(Tensor.arange(t).reshape(1, t)));
            return head.forward(lnF.forward(layers.forward(x)));
        }
    }

    /** The layers of {@link Gpt}, named "0", "1", .. as in {@code nn.TransformerEncoder}, each run causally. */
    static final class CausalLayers extends Module {
        private final List<TransformerEncoderLayer> list = new ArrayList<>();

        CausalLayers(int n, int dModel, int heads, RandomGenerator rng) {
            for (int i = 0; i < n; i++) {
                list.add(registerModule(Integer.toString(i),
                        new TransformerEncoderLayer(dModel, heads, 4 * dModel, 0f, "gelu", 1e-5f, true, true, rng)));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            for (TransformerEncoderLayer l : list) x = l.forwardCausal(x);
            return x;
        }
    }

    /**
     * Trains the transformer on {@code names}, samples from it and, when {@code outDir} is not
     * null, trains the LSTM of {@code names} at a similar parameter count for the same epochs and
     * plots both loss curves in {@code outDir}.
     */
    public static Result run(PrintStream out, List<String> names, Config c, int numSamples, double temperature, int topK,
                             Path outDir) throws IOException {
        SplittableRandom rng = new SplittableRandom(c.seed());
        int v = ALPHABET.length();
        int context = names.stream().mapToInt(String::length).max().orElse(0) + 1;
        Gpt model = new Gpt(v, context, c.dModel(), c.layers(), c.heads(), rng);
        AdamW opt = new AdamW(model.parameters(), c.lr());
        out.printf(Locale.ROOT, "gpt: Embedding(%d, %d) + positions Embedding(%d, %d) → %d × pre-norm TransformerEncoderLayer"
                        + "(%d, %d heads, ff %d, gelu, causal) → LayerNorm → Linear(%d, %d)%n",
                v, c.dModel(), context, c.dModel(), c.layers(), c.dModel(), c.heads(), 4 * c.dModel(), c.dModel(), v);
        out.printf(Locale.ROOT, "%d parameters; %d training names, context %d, AdamW lr %s, batch %d, seed %d%n",
                model.numParameters(), names.size(), context, c.lr(), c.batch(), c.seed());

        List<String> order = new ArrayList<>(names);
        List<Float> losses = new ArrayList<>();
        long start = System.nanoTime();
        model.train();
        for (int epoch = 1; epoch <= c.epochs(); epoch++) {
            shuffle(order, rng);
            double sum = 0;
            long count = 0;
            for (int from = 0; from < order.size(); from += c.batch()) {
                List<String> chunk = order.subList(from, Math.min(order.size(), from + c.batch()));
                NameGenerator.CharBatch cb = NameGenerator.CharBatch.of(chunk, context);
                sum += (double) cb.trainStep(model, opt, 1f) * cb.tokens();
                count += cb.tokens();
            }
            losses.add((float) (sum / count));
            if (epoch == 1 || epoch % 10 == 0 || epoch == c.epochs()) {
                out.printf(Locale.ROOT, "epoch %3d  loss per character %.4f  (%.1f s)%n", epoch, losses.get(epoch - 1),
                        (System.nanoTime() - start) / 1e9);
            }
        }
        model.eval();

        Sampler sampler = Sampler.topK(topK, temperature, new SplittableRandom(c.seed() + 1));
        Set<String> known = new LinkedHashSet<>(names);
        List<String> samples = new ArrayList<>();
        int novel = 0;
        for (int i = 0; i < numSamples; i++) {
            String s = NameGenerator.decode(generate(model, sampler, 0, 0, context - 1), ALPHABET);
            samples.add(s);
            if (!known.contains(s)) novel++;
        }
        out.printf(Locale.ROOT, "%d samples at temperature %.2f, top-%d (* = not in the training list):%n", numSamples, temperature, topK);
        StringBuilder line = new StringBuilder();
        for (String s : samples) line.append("  ").append(s.isEmpty() ? "(empty)" : s).append(known.contains(s) ? "" : "*");
        out.println(line.toString().strip());
        out.printf(Locale.ROOT, "%d of %d samples are new names%n", novel, numSamples);

        if (outDir == null) return new Result(model.numParameters(), List.copyOf(losses), samples, novel, List.of(), 0, null);

        int hidden = NameGenerator.CharLstm.hiddenFor(model.numParameters(), v, NameGenerator.EMBEDDING);
        out.printf(Locale.ROOT, "%ncomparison: the names LSTM with hidden size %d (the closest parameter count), %d epochs, same seed%n",
                hidden, c.epochs());
        long lstmStart = System.nanoTime();
        NameGenerator.Result lstm = NameGenerator.run(new PrintStream(OutputStream.nullOutputStream(), true), names, c.epochs(),
                c.seed(), 0, temperature, hidden);
        float gptLoss = losses.get(losses.size() - 1), lstmLoss = lstm.loss();
        out.printf(Locale.ROOT, "  gpt : %6d parameters, final loss per character %.4f  (%.1f s)%n", model.numParameters(), gptLoss,
                (lstmStart - start) / 1e9);
        out.printf(Locale.ROOT, "  lstm: %6d parameters, final loss per character %.4f  (%.1f s)%n", lstm.parameters(), lstmLoss,
                (System.nanoTime() - lstmStart) / 1e9);
        compare(out, "loss", gptLoss, lstmLoss);
        out.printf(Locale.ROOT, "(a model that memorised the list would reach %.4f, the entropy of the next character given the whole prefix)%n",
                memorisedLoss(names));
        Path png = plotLosses(outDir.resolve("gpt_vs_lstm_loss.png"), "Names: decoder-only transformer vs LSTM, training loss", "epoch",
                epochs(losses.size()), List.of(
                        new Curve(String.format(Locale.ROOT, "gpt (%d parameters)", model.numParameters()), losses),
                        new Curve(String.format(Locale.ROOT, "lstm (%d parameters)", lstm.parameters()), lstm.losses())));
        out.println("wrote " + png);
        return new Result(model.numParameters(), List.copyOf(losses), samples, novel, lstm.losses(), lstm.parameters(), png);
    }

    /**
     * Trains the transformer and, beside it, the {@link NameGenerator.CharLstm} whose parameter
     * count is the closest, on the same random windows of the corpus's training head for the same
     * steps (each model its own optimiser: AdamW for the transformer, Adam for the LSTM, both
     * clipped to gradient norm 1); every {@code evalEvery} steps prints both models' mean training
     * loss since the previous evaluation and their loss on the held-out tail; then samples
     * {@code length} characters from each after a newline, with the temperature and top-k and the
     * same seed, and draws the four curves in {@code outDir/gpt_vs_lstm_<corpus>.png}.
     */
    public static TextResult runText(PrintStream out, CharCorpus corpus, TextConfig c, int length, double temperature, int topK,
                                     Path outDir) throws IOException {
        SplittableRandom rng = new SplittableRandom(c.seed());
        int v = corpus.vocabulary().length();
        Gpt gpt = new Gpt(v, c.context(), c.dModel(), c.layers(), c.heads(), c.sinusoidal(), rng);
        int hidden = NameGenerator.CharLstm.hiddenFor(gpt.numParameters(), v, NameGenerator.EMBEDDING);
        NameGenerator.CharLstm lstm = new NameGenerator.CharLstm(v, NameGenerator.EMBEDDING, hidden, rng);
        AdamW gptOpt = new AdamW(gpt.parameters(), c.lr());
        Adam lstmOpt = new Adam(lstm.parameters(), c.lstmLr());
        List<NameGenerator.CharBatch> validation = corpus.validationBatches(Math.max(1, 4096 / c.context()), c.context());
        if (validation.isEmpty()) {
            throw new IllegalArgumentException("gpt: --context " + c.context() + " leaves no validation window: the held-out tail of "
                    + corpus.name() + " has " + (corpus.tokens().length - corpus.split()) + " characters");
        }
        out.printf(Locale.ROOT, "%s: %,d characters (%,d for training, the last %,d held out), %d distinct; windows of %d, batch %d, %d steps, seed %d%n",
                corpus.name(), corpus.tokens().length, corpus.split(), corpus.tokens().length - corpus.split(), v, c.context(), c.batch(),
                c.steps(), c.seed());
        out.printf(Locale.ROOT, "gpt : %7d parameters: Embedding(%d, %d) + positions Embedding(%d, %d) → %d × pre-norm TransformerEncoderLayer"
                        + "(%d, %d heads, ff %d, gelu, causal) → LayerNorm → Linear(%d, %d); AdamW lr %s%n",
                gpt.numParameters(), v, c.dModel(), c.context(), c.dModel(), c.layers(), c.dModel(), c.heads(), 4 * c.dModel(), c.dModel(), v, c.lr());
        out.printf(Locale.ROOT, "lstm: %7d parameters: Embedding(%d, %d) → LSTM(%d, %d) → Linear(%d, %d), hidden size for the closest count; Adam lr %s%n",
                lstm.numParameters(), v, NameGenerator.EMBEDDING, NameGenerator.EMBEDDING, hidden, hidden, v, c.lstmLr());

        List<Integer> steps = new ArrayList<>();
        List<Float> gptTrain = new ArrayList<>(), gptVal = new ArrayList<>(), lstmTrain = new ArrayList<>(), lstmVal = new ArrayList<>();
        double gptSum = 0, lstmSum = 0;
        long gptNanos = 0, lstmNanos = 0;
        for (int step = 1, since = 0; step <= c.steps(); step++) {
            NameGenerator.CharBatch b = corpus.trainingBatch(rng, c.batch(), c.context());
            long t0 = System.nanoTime();
            gptSum += b.trainStep(gpt, gptOpt, 1f);
            long t1 = System.nanoTime();
            lstmSum += b.trainStep(lstm, lstmOpt, 1f);
            gptNanos += t1 - t0;
            lstmNanos += System.nanoTime() - t1;
            since++;
            if (step % c.evalEvery() != 0 && step != c.steps()) continue;
            steps.add(step);
            gptTrain.add((float) (gptSum / since));
            lstmTrain.add((float) (lstmSum / since));
            gptVal.add(validationLoss(gpt, validation));
            lstmVal.add(validationLoss(lstm, validation));
            gptSum = lstmSum = since = 0;
            out.printf(Locale.ROOT, "step %5d  gpt train %.4f  validation %.4f  |  lstm train %.4f  validation %.4f  (%.1f s + %.1f s)%n", step,
                    last(gptTrain), last(gptVal), last(lstmTrain), last(lstmVal), gptNanos / 1e9, lstmNanos / 1e9);
        }

        int newline = Math.max(0, corpus.vocabulary().indexOf('\n'));
        String gptSample = corpus.decode(generate(gpt, Sampler.topK(topK, temperature, new SplittableRandom(c.seed() + 1)), newline, -1, length));
        String lstmSample = corpus.decode(lstm.sample(Sampler.topK(topK, temperature, new SplittableRandom(c.seed() + 1)), newline, -1, length));
        out.printf(Locale.ROOT, "%n%d characters from each after a newline, temperature %.2f, top-%d:%n", length, temperature, topK);
        out.printf(Locale.ROOT, "--- gpt ---%n%s%n--- lstm ---%n%s%n---%n", gptSample, lstmSample);
        out.printf(Locale.ROOT, "  gpt : %7d parameters, final training loss %.4f, validation %.4f  (%.1f s)%n", gpt.numParameters(),
                last(gptTrain), last(gptVal), gptNanos / 1e9);
        out.printf(Locale.ROOT, "  lstm: %7d parameters, final training loss %.4f, validation %.4f  (%.1f s)%n", lstm.numParameters(),
                last(lstmTrain), last(lstmVal), lstmNanos / 1e9);
        compare(out, "validation loss", last(gptVal), last(lstmVal));

        double[] x = steps.stream().mapToDouble(Integer::doubleValue).toArray();
        Path png = plotLosses(outDir.resolve("gpt_vs_lstm_" + corpus.name() + ".png"), String.format(Locale.ROOT,
                        "%s: decoder-only transformer vs LSTM, %d characters of context", corpus.name(), c.context()), "step", x, List.of(
                        new Curve(String.format(Locale.ROOT, "gpt training, mean of %d steps (%d parameters)", c.evalEvery(), gpt.numParameters()),
                                gptTrain, GPT_COLOR, false),
                        new Curve("gpt validation (held-out tail)", gptVal, GPT_COLOR, true),
                        new Curve(String.format(Locale.ROOT, "lstm training, mean of %d steps (%d parameters)", c.evalEvery(), lstm.numParameters()),
                                lstmTrain, LSTM_COLOR, false),
                        new Curve("lstm validation (held-out tail)", lstmVal, LSTM_COLOR, true)));
        out.println("wrote " + png);
        return new TextResult(List.copyOf(steps),
                new Trained(gpt.numParameters(), List.copyOf(gptTrain), List.copyOf(gptVal), gptSample, gptNanos / 1e9),
                new Trained(lstm.numParameters(), List.copyOf(lstmTrain), List.copyOf(lstmVal), lstmSample, lstmNanos / 1e9), png);
    }

    /** The mean loss per character of {@code model} over the batches, without gradients, in eval mode. */
    static float validationLoss(Module model, List<NameGenerator.CharBatch> batches) {
        model.eval();
        double sum = 0;
        long tokens = 0;
        try (var off = GradMode.off()) {
            for (NameGenerator.CharBatch b : batches) {
                sum += (double) b.loss(model).item() * b.tokens();
                tokens += b.tokens();
            }
        } finally {
            model.train();
        }
        return (float) (sum / tokens);
    }

    private static float last(List<Float> list) {
        return list.get(list.size() - 1);
    }

    /**
     * The lowest mean loss per character on {@code names}: the entropy of the next character
     * given the whole prefix, over the list's own counts (what a model that memorised it reaches).
     */
    static double memorisedLoss(List<String> names) {
        java.util.Map<String, java.util.Map<Character, Integer>> next = new java.util.HashMap<>();
        long tokens = 0;
        for (String n : names) {
            String s = n + ".";
            for (int t = 0; t < s.length(); t++) next.computeIfAbsent(n.substring(0, t), k -> new java.util.HashMap<>()).merge(s.charAt(t), 1, Integer::sum);
            tokens += s.length();
        }
        double sum = 0;
        for (var counts : next.values()) {
            int total = counts.values().stream().mapToInt(Integer::intValue).sum();
            for (int k : counts.values()) sum -= k * Math.log((double) k / total);
        }
        return sum / tokens;
    }

    /**
     * Up to {@code maxLen} sampled tokens after {@code start}: each step feeds the last
     * {@code context} tokens and draws the next one from the last position's logits; a draw of
     * {@code stop} (-1: never) ends it, and so does the draw after {@code maxLen} tokens.
     */
    static int[] generate(Gpt model, Sampler sampler, int start, int stop, int maxLen) {
        try (var off = GradMode.off()) {
            float[] seq = new float[maxLen + 1];
            seq[0] = start;
            int len = 1;
            while (true) {
                int from = Math.max(0, len - model.context()), t = len - from;
                Tensor logits = model.forward(Tensor.of(java.util.Arrays.copyOfRange(seq, from, len), 1, t));
                Tensor last = logits.reshape(t, -1).slice(0, t - 1, t).reshape(-1);
                int token = sampler.next(last.data());
                if (token == stop || len == maxLen + 1) break;
                seq[len++] = token;
            }
            int[] out = new int[len - 1];
            for (int i = 1; i < len; i++) out[i - 1] = (int) seq[i];
            return out;
        }
    }

    /** Prints whether the gpt's final {@code what} reaches the LSTM's, and by how much. */
    private static void compare(PrintStream out, String what, float gptLoss, float lstmLoss) {
        if (gptLoss <= lstmLoss) {
            out.printf(Locale.ROOT, "the gpt reaches the LSTM's %s (%.4f lower)%n", what, lstmLoss - gptLoss);
        } else {
            out.printf(Locale.ROOT, "the gpt does not reach the LSTM's %s: %.4f higher (%.1f %%)%n", what, gptLoss - lstmLoss,
                    100 * (gptLoss - lstmLoss) / lstmLoss);
        }
    }

    /** A loss curve of the plot, under its label, in a colour of its own (null: the chart's next) and solid or dashed. */
    private record Curve(String label, List<Float> losses, java.awt.Color color, boolean dashed) {
        Curve(String label, List<Float> losses) {
            this(label, losses, null, false);
        }
    }

    /** Draws the loss curves against (the first values of) {@code x} and writes them to {@code png}. */
    private static Path plotLosses(Path png, String title, String xLabel, double[] x, List<Curve> curves) throws IOException {
        Plot plot = Plot.of(title, xLabel, "mean loss per character");
        for (Curve c : curves) {
            plot.line(c.label(), java.util.Arrays.copyOf(x, c.losses().size()), doubles(c.losses()));
            var series = plot.chart().getSeriesMap().get(c.label());
            if (c.color() != null) series.setLineColor(c.color());
            if (c.dashed()) series.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
        }
        return plot.save(png);
    }

    private static double[] epochs(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i + 1;
        return x;
    }

    private static double[] doubles(List<Float> list) {
        double[] d = new double[list.size()];
        for (int i = 0; i < d.length; i++) d[i] = list.get(i);
        return d;
    }

    private static void shuffle(List<String> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) java.util.Collections.swap(list, i, rng.nextInt(i + 1));
    }
}
