package org.jgrad.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Linear;
import org.jgrad.nn.RNN;
import org.jgrad.optim.Adam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The course's recurrent network: s_t = tanh(U·x_t + W·s_{t−1}), o_t = softmax(V·s_t), trained on
 * "hello" over the vocabulary {h, e, l, o} to predict the next character — e, l, l, o from h, e,
 * l, l. The two l's need different answers, so the state must carry what came before.
 *
 * <p>U, W (and their biases) are an {@link RNN}'s {@code weight_ih_l0}, {@code weight_hh_l0};
 * V is a {@link Linear}. Inputs are one-hot. Training stops once every step predicts the right
 * character with probability above {@link #TARGET_PROBABILITY}, or after the epoch budget.
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=hello -Dexample.args="--epochs 300 --seed 1"
 * </pre>
 */
public final class HelloRnn {

    static final String VOCAB = "helo";
    static final double TARGET_PROBABILITY = 0.9;

    /** What the trained network predicts after h, e, l, l, with the per-step distributions over {h, e, l, o}. */
    public record Result(String predicted, float[][] probabilities, int epochs, float loss) {}

    private HelloRnn() {}

    /** {@code hello}'s options. */
    @Command(name = "hello")
    static final class Options implements Cli.Job {
        @Option(names = "--epochs", paramLabel = "N",
                description = "Most training epochs; it stops once it has learnt the word (default: ${DEFAULT-VALUE}).")
        int epochs = 500;

        @Option(names = "--hidden", paramLabel = "H",
                description = "Hidden units of the RNN (default: ${DEFAULT-VALUE}).")
        int hidden = 8;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) {
            return HelloRnn.run(stdout, epochs, seed, hidden);
        }
    }

    /** {@code hello [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) {
        return Cli.parse(new Options(), args).run(out);
    }

    public static Result run(PrintStream out, int maxEpochs, long seed, int hidden) {
        String text = "hello";
        int steps = text.length() - 1, v = VOCAB.length();
        float[] oneHot = new float[steps * v], targets = new float[steps];
        for (int t = 0; t < steps; t++) {
            oneHot[t * v + VOCAB.indexOf(text.charAt(t))] = 1;
            targets[t] = VOCAB.indexOf(text.charAt(t + 1));
        }
        Tensor x = Tensor.of(oneHot, 1, steps, v), y = Tensor.of(targets, steps);

        SplittableRandom rng = new SplittableRandom(seed);
        RNN rnn = new RNN(v, hidden, 1, RNN.Nonlinearity.TANH, true, rng);
        Linear head = new Linear(hidden, v, rng);
        var params = new java.util.ArrayList<>(rnn.parameters());
        params.addAll(head.parameters());
        Adam opt = new Adam(params, 0.05f);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();

        out.printf(Locale.ROOT, "hello: one-layer RNN (hidden %d) on \"%s\" over {h, e, l, o}, seed %d%n", hidden, text, seed);
        float loss = Float.NaN;
        int epoch = 0;
        float[][] probs = null;
        while (epoch < maxEpochs) {
            epoch++;
            Tensor logits = head.forward(rnn.forward(x)).reshape(steps, v);
            Tensor l = lossFn.forward(logits, y);
            loss = l.item();
            opt.zeroGrad();
            l.backward();
            opt.step();
            probs = distributions(rnn, head, x, steps, v);
            if (epoch == 1 || epoch % 25 == 0) {
                out.printf(Locale.ROOT, "epoch %3d  loss %.4f  predicts %s%n", epoch, loss, predicted(probs));
            }
            if (learned(probs, targets)) break;
        }
        String predicted = predicted(probs);
        out.printf(Locale.ROOT, "after %d epochs (loss %.4f) the network predicts %s from %s%n", epoch, loss, predicted,
                text.substring(0, steps));
        out.println("step  input   P(h)    P(e)    P(l)    P(o)   → next");
        for (int t = 0; t < steps; t++) {
            out.printf(Locale.ROOT, "%4d    %c    %.4f  %.4f  %.4f  %.4f    %c%n", t, text.charAt(t), probs[t][0], probs[t][1],
                    probs[t][2], probs[t][3], predicted.charAt(t));
        }
        return new Result(predicted, probs, epoch, loss);
    }

    private static float[][] distributions(RNN rnn, Linear head, Tensor x, int steps, int v) {
        try (var off = GradMode.off()) {
            float[] p = head.forward(rnn.forward(x)).reshape(steps, v).softmax(1).toArray();
            float[][] out = new float[steps][v];
            for (int t = 0; t < steps; t++) System.arraycopy(p, t * v, out[t], 0, v);
            return out;
        }
    }

    private static boolean learned(float[][] probs, float[] targets) {
        for (int t = 0; t < probs.length; t++) if (probs[t][(int) targets[t]] < TARGET_PROBABILITY) return false;
        return true;
    }

    private static String predicted(float[][] probs) {
        StringBuilder sb = new StringBuilder();
        for (float[] p : probs) {
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            sb.append(VOCAB.charAt(best));
        }
        return sb.toString();
    }
}
