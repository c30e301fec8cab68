// ==========================================================================================
// Notebook 7 — Recurrent networks: an RNN learns "hello", an LSTM learns a few words
//
// Open it with   notebooks/open.sh 07-rnn
// A recurrent network reads a sequence one step at a time and carries a state:
//     s_t = tanh(U·x_t + W·s_{t−1} + b),   o_t = softmax(V·s_t)
// Trained to predict the next character, it can then generate text by feeding its own
// output back in.
// ==========================================================================================

import java.util.*;
import java.util.stream.Collectors;
import org.jgrad.core.*;
import org.jgrad.nn.*;
import org.jgrad.nn.sampling.Sampler;
import org.jgrad.optim.*;
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

boolean SMALL = Boolean.getBoolean("jgrad.small");

// oneHot(text, vocab): the characters as one-hot vectors, shaped [batch 1, time, |vocab|].
Tensor oneHot(String text, String vocab) {
    float[] v = new float[text.length() * vocab.length()];
    for (int t = 0; t < text.length(); t++) v[t * vocab.length() + vocab.indexOf(text.charAt(t))] = 1;
    return Tensor.of(v, 1, text.length(), vocab.length());
}

// indices(text, vocab): the class index of each character, shaped [time].
Tensor indices(String text, String vocab) {
    float[] v = new float[text.length()];
    for (int t = 0; t < text.length(); t++) v[t] = vocab.indexOf(text.charAt(t));
    return Tensor.of(v, text.length());
}

// ------------------------------------------------------------------------------------------
// 1. "hello" over the vocabulary {h, e, l, o}: from h, e, l, l predict e, l, l, o.
//    The two l's need different answers (l, then o), so the state must remember what came
//    before: a network that only sees the current character cannot do it.
// ------------------------------------------------------------------------------------------
String vocab = "helo";
var x = oneHot("hell", vocab);        // [1, 4, 4]
var y = indices("ello", vocab);       // [4]
System.out.println("inputs " + Arrays.toString(x.shape()) + ", targets " + Arrays.toString(y.toArray()));
// expect: inputs \[1, 4, 4\], targets \[1\.0, 2\.0, 2\.0, 3\.0\]

var rng = new SplittableRandom(1);
var rnn = new RNN(4, 8, 1, RNN.Nonlinearity.TANH, true, rng);   // U, W, b: PyTorch's weight_ih_l0, weight_hh_l0, ...
var head = new Linear(8, 4, rng);                                // V
System.out.println(rnn.namedParameters().keySet() + " + " + head.namedParameters().keySet());
// expect: \[weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0\] \+ \[weight, bias\]

// predictions(): the distribution over the next character at every step, without a graph.
float[][] predictions() {
    try (var off = GradMode.off()) {
        float[] p = head.forward(rnn.forward(x)).reshape(4, 4).softmax(1).toArray();
        float[][] rows = new float[4][];
        for (int t = 0; t < 4; t++) rows[t] = Arrays.copyOfRange(p, 4 * t, 4 * t + 4);
        return rows;
    }
}
String predicted() {
    StringBuilder sb = new StringBuilder();
    for (float[] p : predictions()) sb.append(vocab.charAt(Sampler.argmax(p)));
    return sb.toString();
}

// Training: the whole sequence is one example; backward goes through all 4 time steps.
// We stop once every step gives the right character a probability above 0.9: trained much
// further, the network becomes so sure of itself that sampling below has nothing to show.
boolean learned() {
    float[][] p = predictions();
    for (int t = 0; t < 4; t++) if (p[t][(int) y.get(t)] < 0.9f) return false;
    return true;
}
var params = new ArrayList<Tensor>(rnn.parameters());
params.addAll(head.parameters());
var opt = new Adam(params, 0.05f);
var lossFn = new CrossEntropyLoss();
for (int e = 1; e <= 500; e++) {
    var logits = head.forward(rnn.forward(x)).reshape(4, 4);   // [time, vocab]
    var loss = lossFn.forward(logits, y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    if (e == 1 || e % 5 == 0 || learned()) System.out.printf(Locale.ROOT, "epoch %3d  loss %.4f  predicts %s%n", e, loss.item(), predicted());
    if (learned()) break;
}
// expect ~ 1.386 ± 0.4 after "epoch   1  loss"
// expect falling after "loss"
// expect: predicts ello\n\z

System.out.println("step input  P(h)   P(e)   P(l)   P(o)");
float[][] table = predictions();
for (int t = 0; t < 4; t++) {
    System.out.printf(Locale.ROOT, "%4d    %c   %.3f  %.3f  %.3f  %.3f%n", t, "hell".charAt(t), table[t][0], table[t][1],
            table[t][2], table[t][3]);
}
// expect:    0    h   \S+  0\.9\d\d
// expect:    1    e   \S+  \S+  0\.9\d\d
// expect:    2    l   \S+  \S+  0\.9\d\d
// expect:    3    l   \S+  \S+  \S+  0\.9\d\d

// ------------------------------------------------------------------------------------------
// 2. Generating: start from "h", feed one character at a time and carry the hidden state
//    hN from step to step. A Sampler picks the next character from the logits: greedy takes
//    the most likely one; temperature sampling draws from softmax(logits / τ).
// ------------------------------------------------------------------------------------------
String generate(String start, int length, Sampler sampler) {
    StringBuilder text = new StringBuilder(start);
    try (var off = GradMode.off()) {
        var out = rnn.forward(oneHot(start, vocab), null);            // read the prompt
        for (int i = 0; i < length; i++) {
            var last = out.outputs().narrow(1, out.outputs().size(1) - 1, 1).reshape(1, 8);
            char next = vocab.charAt(sampler.next(head.forward(last))[0]);
            text.append(next);
            out = rnn.forward(oneHot(String.valueOf(next), vocab), out.hN());   // one more step
        }
    }
    return text.toString();
}
System.out.println("greedy from h:           " + generate("h", 4, Sampler.greedy()));
// expect: greedy from h: +hello$
var sampling = new SplittableRandom(7);
for (double tau : new double[] {0.5, 1.0, 2.0}) {
    var s = Sampler.temperature(tau, sampling);
    System.out.printf(Locale.ROOT, "temperature %.1f, 3 draws: %s %s %s%n", tau, generate("h", 4, s), generate("h", 4, s),
            generate("h", 4, s));
}
// expect: temperature 0\.5, 3 draws: hello hello hello
// Low temperature is nearly greedy; high temperature flattens the distribution and
// produces more mistakes (and more variety).

// ------------------------------------------------------------------------------------------
// 3. An LSTM on a longer text. Its cell state c_t, updated through gates, carries information
//    over more steps than a plain RNN's state.
// ------------------------------------------------------------------------------------------
String text = "hello world. hello jshell. hello java. ";
var distinct = new TreeSet<Character>();          // the vocabulary: its distinct characters, sorted
for (char c : text.toCharArray()) distinct.add(c);
String chars = distinct.stream().map(String::valueOf).collect(Collectors.joining());
System.out.println("vocabulary of " + chars.length() + " characters: \"" + chars + "\"");
// expect: vocabulary of 13 characters: " \.adehjlorsvw"
var seqX = oneHot(text.substring(0, text.length() - 1), chars);   // [1, T, V]
var seqY = indices(text.substring(1), chars);                     // [T]: the next character at each step

var lrng = new SplittableRandom(3);
int hiddenSize = 32;
var lstm = new LSTM(chars.length(), hiddenSize, 1, true, lrng);
var lhead = new Linear(hiddenSize, chars.length(), lrng);
var lparams = new ArrayList<Tensor>(lstm.parameters());
lparams.addAll(lhead.parameters());
var lopt = new Adam(lparams, 0.02f);
int steps = text.length() - 1;
int lstmEpochs = SMALL ? 80 : 400;
double[] epochAxis = new double[lstmEpochs], lstmLoss = new double[lstmEpochs];   // for the chart below
for (int e = 1; e <= lstmEpochs; e++) {
    var loss = lossFn.forward(lhead.forward(lstm.forward(seqX)).reshape(steps, chars.length()), seqY);
    epochAxis[e - 1] = e;
    lstmLoss[e - 1] = loss.item();
    lopt.zeroGrad();
    loss.backward();
    GradClip.clipGradNorm(lparams, 1f);     // keeps one bad step from blowing up the weights
    lopt.step();
    if (e == 1 || e % (lstmEpochs / 4) == 0) System.out.printf(Locale.ROOT, "epoch %3d  loss %.4f%n", e, loss.item());
}
// expect ~ 2.565 ± 0.2 after "epoch   1  loss"
// expect falling after "loss"
// expect: loss 0\.0[0-4]\d\d\n\z
display(Plot.of("LSTM: training loss per epoch", "epoch", "cross-entropy (log scale)", 560, 360)
        .line("loss", epochAxis, lstmLoss).logY().save(Display.file("07-lstm-loss.png")));
// expect: figure: .*07-lstm-loss\.png

// Generation with the LSTM carries two states, hN and cN.
String generateLstm(String start, int length, Sampler sampler) {
    StringBuilder sb = new StringBuilder(start);
    try (var off = GradMode.off()) {
        var out = lstm.forward(oneHot(start, chars), null, null);
        for (int i = 0; i < length; i++) {
            var last = out.outputs().narrow(1, out.outputs().size(1) - 1, 1).reshape(1, hiddenSize);
            char next = chars.charAt(sampler.next(lhead.forward(last))[0]);
            sb.append(next);
            out = lstm.forward(oneHot(String.valueOf(next), chars), out.hN(), out.cN());
        }
    }
    return sb.toString();
}
// Greedy replays what it memorised; a high temperature makes mistakes, and top-k keeps only
// the k most likely characters, so its mistakes stay plausible.
System.out.println("greedy:          " + generateLstm("h", 50, Sampler.greedy()));
// expect: greedy: +hello world\. hello jshell\. hello java\. hello
System.out.println("temperature 1:   " + generateLstm("h", 50, Sampler.temperature(1.0, new SplittableRandom(11))));
System.out.println("temperature 2.5: " + generateLstm("h", 50, Sampler.temperature(2.5, new SplittableRandom(11))));
System.out.println("top-2, τ = 2.5:  " + generateLstm("h", 50, Sampler.topK(2, 2.5, new SplittableRandom(11))));

// Try it: train the plain RNN of section 1 on the longer text and compare what it generates;
// or prompt the LSTM with "hello j" and see which word it completes.
