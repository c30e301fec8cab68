package org.jgrad.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.LSTM;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.Reduction;
import org.jgrad.nn.SequenceCrossEntropyLoss;
import org.jgrad.nn.sampling.Sampler;
import org.jgrad.optim.Adam;
import org.jgrad.optim.GradClip;
import org.jgrad.optim.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A character-level language model that invents first names: Embedding → LSTM → Linear over the
 * 26 letters plus '.', which marks both the start and the end of a name. Trained on the
 * public-domain list {@code names.txt} (332 common US first names) with teacher forcing: the
 * input ".emma" predicts "emma."; shorter names are padded and the padding is masked out of the
 * loss. Then names are sampled one character at a time with a temperature, and the report counts
 * how many samples are new (not in the training list).
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=names -Dexample.args="--epochs 40 --temperature 0.9"
 * </pre>
 */
public final class NameGenerator {

    static final String ALPHABET = ".abcdefghijklmnopqrstuvwxyz";   // index 0 is the start/end mark

    /** Width of the character embedding. */
    static final int EMBEDDING = 16;

    /**
     * The samples, how many are not in the training list, the last epoch's mean loss, the mean loss
     * of every epoch and the model's parameter count.
     */
    public record Result(int trainingNames, List<String> samples, int novel, float loss, List<Float> losses, long parameters) {}

    private NameGenerator() {}

    /** {@code names}' options. */
    @Command(name = "names")
    static final class Options implements Cli.Job {
        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes over the training names (default: ${DEFAULT-VALUE}).")
        int epochs = 40;

        @Option(names = "--hidden", paramLabel = "H",
                description = "Hidden units of the LSTM (default: ${DEFAULT-VALUE}).")
        int hidden = 48;

        @Option(names = "--samples", paramLabel = "K",
                description = "Names invented at the end (default: ${DEFAULT-VALUE}).")
        int samples = 20;

        @Option(names = "--temperature", paramLabel = "T",
                description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
        double temperature = 0.9;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) {
            return NameGenerator.run(stdout, loadNames(), epochs, seed, samples, temperature, hidden);
        }
    }

    /** {@code names [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) {
        return Cli.parse(new Options(), args).run(out);
    }

    /** The training names shipped in the resources. */
    public static List<String> loadNames() {
        try (InputStream in = NameGenerator.class.getResourceAsStream("names.txt")) {
            if (in == null) throw new IllegalStateException("names.txt is missing from the resources");
            List<String> out = new ArrayList<>();
            var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip().toLowerCase(Locale.ROOT);
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (!line.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                    throw new IllegalStateException("names.txt: '" + line + "' has characters outside a-z");
                }
                out.add(line);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result run(PrintStream out, List<String> names, int epochs, long seed, int numSamples, double temperature,
                             int hidden) {
        SplittableRandom rng = new SplittableRandom(seed);
        int v = ALPHABET.length(), embDim = EMBEDDING, batch = 32;
        CharLstm model = new CharLstm(v, embDim, hidden, rng);
        List<Tensor> params = model.parameters();
        Adam opt = new Adam(params, 0.01f);
        int maxLen = names.stream().mapToInt(String::length).max().orElse(0) + 1;
        long parameters = model.numParameters();
        out.printf(Locale.ROOT, "names: Embedding(%d, %d) → LSTM(%d, %d) → Linear(%d, %d), %d parameters; %d training names, seed %d%n",
                v, embDim, embDim, hidden, hidden, v, parameters, names.size(), seed);
        List<Float> losses = new ArrayList<>();
        List<String> order = new ArrayList<>(names);
        float epochLoss = Float.NaN;
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(order, rng);
            double sum = 0;
            int count = 0;
            for (int from = 0; from < order.size(); from += batch) {
                List<String> chunk = order.subList(from, Math.min(order.size(), from + batch));
                CharBatch cb = CharBatch.of(chunk, maxLen);
                float l = cb.trainStep(model, opt, 5f);
                sum += l * cb.tokens();
                count += cb.tokens();
            }
            epochLoss = (float) (sum / count);
            losses.add(epochLoss);
            if (epoch == 1 || epoch % 10 == 0 || epoch == epochs) {
                out.printf(Locale.ROOT, "epoch %3d  loss per character %.4f  (%.1f s)%n", epoch, epochLoss, (System.nanoTime() - start) / 1e9);
            }
        }

        Sampler sampler = Sampler.temperature(temperature, new SplittableRandom(seed + 1));
        Set<String> known = new LinkedHashSet<>(names);
        List<String> samples = new ArrayList<>();
        int novel = 0;
        for (int i = 0; i < numSamples; i++) {
            String s = decode(model.sample(sampler, 0, 0, 20), ALPHABET);
            samples.add(s);
            if (!known.contains(s)) novel++;
        }
        out.printf(Locale.ROOT, "%d samples at temperature %.2f (* = not in the training list):%n", numSamples, temperature);
        StringBuilder line = new StringBuilder();
        for (String s : samples) line.append("  ").append(s.isEmpty() ? "(empty)" : s).append(known.contains(s) ? "" : "*");
        out.println(line.toString().strip());
        out.printf(Locale.ROOT, "%d of %d samples are new names%n", novel, numSamples);
        return new Result(names.size(), samples, novel, epochLoss, List.copyOf(losses), parameters);
    }

    /** The characters of {@code alphabet} at the indices {@code tokens}. */
    static String decode(int[] tokens, String alphabet) {
        StringBuilder sb = new StringBuilder(tokens.length);
        for (int t : tokens) sb.append(alphabet.charAt(t));
        return sb.toString();
    }

    /**
     * The character LSTM of this example: {@code emb} (Embedding(vocab, embDim)), {@code lstm}
     * (one-layer LSTM(embDim, hidden)) and {@code head} (Linear(hidden, vocab)). {@link #forward}
     * maps token indices {@code [N, T]} to logits {@code [N, T, vocab]} from the zero state; the
     * text corpus of {@link GptExample} trains the same model beside its transformer.
     */
    public static final class CharLstm extends Module {
        private final Embedding emb;
        private final LSTM lstm;
        private final Linear head;

        /**
         * @param vocab number of symbols
         * @param embDim width of the character embedding
         * @param hidden hidden size of the LSTM
         * @param rng source of the initial weights (embedding, LSTM, head, in that order)
         */
        public CharLstm(int vocab, int embDim, int hidden, RandomGenerator rng) {
            emb = registerModule("emb", new Embedding(vocab, embDim, rng));
            lstm = registerModule("lstm", new LSTM(embDim, hidden, 1, true, rng));
            head = registerModule("head", new Linear(hidden, vocab, rng));
        }

        @Override
        public Tensor forward(Tensor idx) {
            return head.forward(lstm.forward(emb.forward(idx)));
        }

        /** The parameter count of {@code CharLstm(vocab, embDim, hidden)}, without building it. */
        public static long parameterCount(int vocab, int embDim, int hidden) {
            return (long) vocab * embDim + 4L * hidden * (embDim + hidden) + 8L * hidden + (long) hidden * vocab + vocab;
        }

        /** The hidden size (1..1024) whose parameter count is the closest to {@code target}. */
        public static int hiddenFor(long target, int vocab, int embDim) {
            int best = 1;
            for (int h = 2; h <= 1024; h++) {
                if (Math.abs(parameterCount(vocab, embDim, h) - target) < Math.abs(parameterCount(vocab, embDim, best) - target)) best = h;
            }
            return best;
        }

        /**
         * Up to {@code maxLen} sampled tokens: feeds {@code start}, then each sampled token, carrying
         * the LSTM state, and stops before {@code stop} (-1: never).
         */
        int[] sample(Sampler sampler, int start, int stop, int maxLen) {
            try (var off = GradMode.off()) {
                int[] out = new int[maxLen];
                int n = 0, token = start;
                Tensor h = null, c = null;
                while (n < maxLen) {
                    var o = lstm.forward(emb.forward(Tensor.of(new float[] {token}, 1, 1)), h, c);
                    h = o.hN();
                    c = o.cN();
                    token = sampler.next(head.forward(o.outputs()).reshape(-1).data());
                    if (token == stop) break;
                    out[n++] = token;
                }
                return java.util.Arrays.copyOf(out, n);
            }
        }
    }

    private static void shuffle(List<String> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) java.util.Collections.swap(list, i, rng.nextInt(i + 1));
    }

    /**
     * Next-character training data: names padded to a common length (input ".emma", target
     * "emma.", padding '.' with mask 0, so padded positions add nothing to the loss), or windows of
     * a text (mask all ones). The LSTM here and the transformer of {@link GptExample} train on the
     * same batches and take the same step ({@link #trainStep}).
     *
     * @param input character indices {@code [rows, length]}
     * @param target the next character at each position {@code [rows, length]}
     * @param mask 1 where the position holds a real character, 0 in the padding
     * @param tokens number of real positions (the mask's sum)
     */
    record CharBatch(Tensor input, Tensor target, Tensor mask, int tokens) {

        private static final SequenceCrossEntropyLoss LOSS = new SequenceCrossEntropyLoss(Reduction.NONE);

        static CharBatch of(List<String> names, int length) {
            int b = names.size(), tokens = 0;
            float[] in = new float[b * length], target = new float[b * length], mask = new float[b * length];
            for (int i = 0; i < b; i++) {
                String s = names.get(i) + ".";
                for (int t = 0; t < s.length(); t++) {
                    in[i * length + t] = t == 0 ? 0 : ALPHABET.indexOf(s.charAt(t - 1));
                    target[i * length + t] = ALPHABET.indexOf(s.charAt(t));
                    mask[i * length + t] = 1;
                }
                tokens += s.length();
            }
            return new CharBatch(Tensor.of(in, b, length), Tensor.of(target, b, length), Tensor.of(mask, b, length), tokens);
        }

        /** Windows {@code text[s, s + length)} for each start s, each predicting {@code text[s + 1, s + length]}. */
        static CharBatch windows(int[] text, int[] starts, int length) {
            int b = starts.length;
            float[] in = new float[b * length], target = new float[b * length], mask = new float[b * length];
            for (int i = 0; i < b; i++) {
                for (int t = 0; t < length; t++) {
                    in[i * length + t] = text[starts[i] + t];
                    target[i * length + t] = text[starts[i] + t + 1];
                }
            }
            java.util.Arrays.fill(mask, 1f);
            return new CharBatch(Tensor.of(in, b, length), Tensor.of(target, b, length), Tensor.of(mask, b, length), b * length);
        }

        /** The mean loss per real character of {@code model}, which maps indices [rows, length] to logits [rows, length, vocab]. */
        Tensor loss(Module model) {
            return LOSS.forward(model.forward(input), target).mul(mask).sum().div(tokens);
        }

        /** One optimiser step on this batch with the gradients clipped to norm {@code clip}; returns the loss before the step. */
        float trainStep(Module model, Optimizer<?> opt, float clip) {
            Tensor l = loss(model);
            opt.zeroGrad();
            l.backward();
            GradClip.clipGradNorm(model.parameters(), clip);
            opt.step();
            return l.item();
        }
    }
}
