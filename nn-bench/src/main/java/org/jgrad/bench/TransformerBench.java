package org.jgrad.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.LayerNorm;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.SequenceCrossEntropyLoss;
import org.jgrad.nn.TransformerEncoderLayer;
import org.jgrad.optim.AdamW;

/**
 * Training throughput of a small decoder-only transformer in tokens/s, the jgrad side of
 * {@code nn-bench/peers/transformer_bench.py} (issue #25): the model of {@code ./jgrad gpt}
 * (token plus learned position {@link Embedding}, pre-norm {@link TransformerEncoderLayer}s with
 * GELU and no dropout run with {@link TransformerEncoderLayer#forwardCausal}, a final
 * {@link LayerNorm}, a {@link Linear} head), trained with {@link SequenceCrossEntropyLoss} on
 * next-token targets of random token batches and {@link AdamW} (lr 1e-3, weight decay 0.01).
 * No gradient clipping, no padding mask: every position is a real token, in both scripts.
 *
 * <p>One step is zeroGrad, forward, loss, backward, optimizer step, on one of 16 pre-drawn
 * batches in turn. After warm-up (at least {@code --warmup} seconds and 20 steps) it times
 * steps one by one until at least {@code --seconds} seconds and {@code --steps} steps have
 * passed, and prints tokens/s = batch·context / median step time, with the fastest and slowest
 * step, as one {@code SUMMARY} line in the peer's format.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmn64m -cp nn-bench/target/benchmarks.jar \
 *     org.jgrad.bench.TransformerBench small 1
 * java ... org.jgrad.bench.TransformerBench large 2 --warmup 10 --seconds 10
 * </pre>
 *
 * Shapes: {@code small} is the gpt example's (vocabulary 27, context 12, d_model 48, 4 heads,
 * ff 192, 2 layers, batch 32), {@code large} one where the matrix products dominate (vocabulary
 * 65, context 64, d_model 128, 4 heads, ff 512, 2 layers, batch 32).
 */
public final class TransformerBench {

    /** The sizes of one case. */
    record Shape(String name, int vocab, int context, int dModel, int heads, int ff, int layers, int batch) {
        static Shape of(String name) {
            return switch (name) {
                case "small" -> new Shape("small", 27, 12, 48, 4, 192, 2, 32);
                case "large" -> new Shape("large", 65, 64, 128, 4, 512, 2, 32);
                default -> throw new IllegalArgumentException("TransformerBench: shape is small or large, not " + name);
            };
        }

        String describe() {
            return String.format(Locale.ROOT, "vocab=%d context=%d d_model=%d heads=%d ff=%d layers=%d batch=%d",
                    vocab, context, dModel, heads, ff, layers, batch);
        }
    }

    /** The gpt example's model: embeddings, causal pre-norm layers, final LayerNorm, head; logits [N, T, vocab]. */
    static final class Model extends Module {
        private final Embedding tokEmb, posEmb;
        private final List<TransformerEncoderLayer> layers = new ArrayList<>();
        private final LayerNorm lnF;
        private final Linear head;
        private final Tensor positions;

        Model(Shape s, RandomGenerator rng) {
            tokEmb = registerModule("tok_emb", new Embedding(s.vocab(), s.dModel(), rng));
            posEmb = registerModule("pos_emb", new Embedding(s.context(), s.dModel(), rng));
            for (int i = 0; i < s.layers(); i++) {
                layers.add(registerModule("layer" + i,
                        new TransformerEncoderLayer(s.dModel(), s.heads(), s.ff(), 0f, "gelu", 1e-5f, true, true, rng)));
            }
            lnF = registerModule("ln_f", new LayerNorm(s.dModel()));
            head = registerModule("head", new Linear(s.dModel(), s.vocab(), rng));
            positions = Tensor.arange(s.context()).reshape(1, s.context());
        }

        @Override
        public Tensor forward(Tensor idx) {
            Tensor x = tokEmb.forward(idx).add(posEmb.forward(positions));
            for (TransformerEncoderLayer l : layers) x = l.forwardCausal(x);
            return head.forward(lnF.forward(x));
        }
    }

    /** A model, its optimizer and loss, and 16 random (input, next-token target) batches. */
    static final class Job {
        final Shape shape;
        final Model model;
        final AdamW opt;
        final SequenceCrossEntropyLoss loss = new SequenceCrossEntropyLoss();
        final Tensor[] inputs = new Tensor[16], targets = new Tensor[16];
        int next;
        float lastLoss;

        Job(Shape s, long seed) {
            shape = s;
            SplittableRandom rng = new SplittableRandom(seed);
            model = new Model(s, rng);
            model.train();
            opt = new AdamW(model.parameters(), 1e-3f);
            int n = s.batch() * s.context();
            for (int b = 0; b < inputs.length; b++) {
                float[] seq = new float[s.batch() * (s.context() + 1)];
                for (int i = 0; i < seq.length; i++) seq[i] = rng.nextInt(s.vocab());
                float[] in = new float[n], tg = new float[n];
                for (int i = 0; i < s.batch(); i++) {
                    System.arraycopy(seq, i * (s.context() + 1), in, i * s.context(), s.context());
                    System.arraycopy(seq, i * (s.context() + 1) + 1, tg, i * s.context(), s.context());
                }
                inputs[b] = Tensor.of(in, s.batch(), s.context());
                targets[b] = Tensor.of(tg, s.batch(), s.context());
            }
        }

        /** One training step on the next batch. */
        void step() {
            int b = next++ % inputs.length;
            opt.zeroGrad();
            Tensor l = loss.forward(model.forward(inputs[b]), targets[b]);
            l.backward();
            opt.step();
            lastLoss = l.item();
        }
    }

    private TransformerBench() {}

    /** {@code small|large THREADS [--warmup SECONDS] [--seconds SECONDS] [--steps N]}. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: TransformerBench small|large THREADS [--warmup SECONDS] [--seconds SECONDS] [--steps N]");
            System.exit(2);
        }
        Shape s = Shape.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        double warmup = 8, seconds = 8;
        int minSteps = 30;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--steps" -> minSteps = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("TransformerBench: unknown option " + args[i]);
            }
        }
        Parallel.setThreads(threads);
        Job job = new Job(s, 1);
        System.out.printf(Locale.ROOT, "# transformer %s jgrad threads=%d %s params=%d java=%s %s%n", s.name(), threads,
                s.describe(), job.model.numParameters(), System.getProperty("java.version"), Environment.current().describe());
        long t0 = System.nanoTime();
        int warm = 0;
        while (warm < 20 || (System.nanoTime() - t0) / 1e9 < warmup) {
            job.step();
            warm++;
        }
        double warmS = (System.nanoTime() - t0) / 1e9;
        List<Double> times = new ArrayList<>();
        long m0 = System.nanoTime();
        while (times.size() < minSteps || (System.nanoTime() - m0) / 1e9 < seconds) {
            long a = System.nanoTime();
            job.step();
            times.add((System.nanoTime() - a) / 1e9);
        }
        double[] st = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = st.length % 2 == 1 ? st[st.length / 2] : (st[st.length / 2 - 1] + st[st.length / 2]) / 2;
        double tokens = (double) s.batch() * s.context();
        System.out.printf(Locale.ROOT, "# warm-up %d steps in %.1f s; measured %d steps; loss %.4f%n", warm, warmS, st.length, job.lastLoss);
        System.out.printf(Locale.ROOT, "SUMMARY transformer %s jgrad T=%d: tokens/s median %.0f (slowest step %.0f, fastest %.0f); "
                        + "step ms median %.3f min %.3f max %.3f; steps %d%n",
                s.name(), threads, tokens / median, tokens / st[st.length - 1], tokens / st[0],
                1e3 * median, 1e3 * st[0], 1e3 * st[st.length - 1], st.length);
        if (Arrays.stream(st).anyMatch(x -> !Double.isFinite(x))) System.exit(1);
    }
}
