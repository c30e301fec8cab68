// ==========================================================================================
// Notebook 12 — Attention: scaled dot-product attention, heads, a transformer block, a tiny GPT
//
// Open it with   notebooks/open.sh 12-attention
// Each token asks a question (query q), offers a key k and carries a value v. Its output is a
// mix of all values, weighted by how well its query matches each key:
//   attention(Q, K, V) = softmax(Q·Kᵀ / √E) · V          (each row of the softmax sums to 1)
// A causal mask (−∞ above the diagonal) lets token i see only tokens 0..i: that is what a
// language model needs. Several heads attend in parallel on slices of the embedding.
// The full run, with the loss curve beside an LSTM's: ./jgrad gpt.
// ==========================================================================================

import java.util.*;
import org.jgrad.core.*;
import org.jgrad.nn.*;
import org.jgrad.examples.GptExample;      // the character-level transformer of ./jgrad gpt
import org.jgrad.examples.NameGenerator;   // and the names it learns from
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

// Small mode (-Djgrad.small=true): the tiny GPT trains 3 epochs instead of 20.
boolean SMALL = Boolean.getBoolean("jgrad.small");

void printRows(String what, Tensor t) {
    System.out.println(what + ":");
    float[] a = t.toArray();
    int cols = t.size(-1);
    for (int i = 0; i < a.length; i += cols) {
        StringBuilder row = new StringBuilder("  ");
        for (int j = 0; j < cols; j++) row.append(String.format(Locale.ROOT, "%10.4f", a[i + j]));
        System.out.println(row);
    }
}

// ------------------------------------------------------------------------------------------
// 1. Attention by hand: three tokens with 2-D queries and keys; the values are one-hot, so each
//    output row shows the attention weights themselves.
var q = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}});
var k = q;
var v = Tensor.of(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
var weights = q.matmul(k.transpose(0, 1)).div((float) Math.sqrt(2)).softmax(-1);
printRows("softmax(Q·Kᵀ/√2)", weights);
// expect: ^ +0\.4011 +0\.1978 +0\.4011$
// expect: ^ +0\.2483 +0\.2483 +0\.5035$
var out = Attention.scaledDotProductAttention(q, k, v);
printRows("attention(Q, K, V)", out);
// expect: ^ +0\.1978 +0\.4011 +0\.4011$
System.out.println("every row of the weights sums to " + Arrays.toString(weights.sum(1).toArray()));
// expect: sums to \[1\.0, 1\.0, 1\.0\]

// ------------------------------------------------------------------------------------------
// 2. The causal mask: token i may not look at tokens after it.
printRows("causal mask (0 = allowed)", Attention.causalMask(3, 3).reshape(3, 3));
// expect: ^ +0\.0000 +-Infinity +-Infinity$
printRows("causal attention(Q, K, V)", Attention.scaledDotProductAttention(q, k, v, null, true));
// expect: ^ +1\.0000 +0\.0000 +0\.0000$
// expect: ^ +0\.3302 +0\.6698 +0\.0000$
// Both as pictures, each from black (its smallest weight) to white (its largest); row i is how
// token i spreads its attention.
display(Images.grid(Display.file("12-weights.png"), "attention weights, rows: queries", List.of(weights.toArray(),
        Attention.scaledDotProductAttention(q, k, v, null, true).toArray()), 3, 3, 2, 40, List.of("full", "causal")));
// expect: figure: .*12-weights\.png

// ------------------------------------------------------------------------------------------
// 3. Multi-head attention with PyTorch's parameters: one [3E, E] matrix projects to q, k, v for
//    all heads at once, out_proj mixes the heads back.
var mha = new MultiheadAttention(8, 2, new SplittableRandom(1));
mha.namedParameters().forEach((name, p) -> System.out.println(name + " " + Arrays.toString(p.shape())));
// expect: in_proj_weight \[24, 8\]
// expect: out_proj.weight \[8, 8\]
System.out.println("MultiheadAttention(8, 2) parameters: " + mha.numParameters());
// expect = 288 after "parameters:"
var x = Tensor.randn(new SplittableRandom(2), 1, 5, 8);     // a batch of 1 sequence, 5 tokens, E = 8
System.out.println("self-attention output shape " + Arrays.toString(mha.forward(x).shape()));
// expect: shape \[1, 5, 8\]
// Causal: changing the last token changes no earlier output.
var x2 = Tensor.of(x.toArray(), 1, 5, 8);
x2.data()[4 * 8] += 1f;
float[] a = mha.forwardCausal(x).toArray(), b = mha.forwardCausal(x2).toArray();
float firstFour = 0, last = 0;
for (int i = 0; i < 4 * 8; i++) firstFour = Math.max(firstFour, Math.abs(a[i] - b[i]));
for (int i = 4 * 8; i < 5 * 8; i++) last = Math.max(last, Math.abs(a[i] - b[i]));
System.out.printf(Locale.ROOT, "causal: tokens 0-3 moved by %.1e, token 4 by %.3f%n", firstFour, last);
// expect: tokens 0-3 moved by 0\.0e\+00
// expect > 0.001 after "token 4 by"

// ------------------------------------------------------------------------------------------
// 4. A transformer block: attention, then a 2-layer feed-forward net, each with a residual and a
//    LayerNorm (pre-norm here: normalise, transform, add).
var block = new TransformerEncoderLayer(8, 2, 16, 0f, "gelu", 1e-5f, true, true, new SplittableRandom(3));
System.out.println("TransformerEncoderLayer(8, 2, ff 16) parameters: " + block.numParameters());
// expect = 600 after "parameters:"
System.out.println("block output shape " + Arrays.toString(block.forwardCausal(x).shape()));
// expect: shape \[1, 5, 8\]

// ------------------------------------------------------------------------------------------
// 5. A tiny GPT on first names: embeddings of characters and positions, one causal block, a
//    linear head predicting the next character.
var gpt = GptExample.run(System.out, NameGenerator.loadNames(), new GptExample.Config(32, 1, 4, SMALL ? 3 : 20, 0.005f, 32, 1),
        10, 0.9, 10, null);
// expect falling after "loss per character"
System.out.println("samples: " + gpt.samples());
// expect: samples: \[[a-z]
double[] epochAxis = new double[gpt.losses().size()], gptLoss = new double[epochAxis.length];
for (int e = 0; e < epochAxis.length; e++) {
    epochAxis[e] = e + 1;
    gptLoss[e] = gpt.losses().get(e);
}
display(Plot.of("tiny GPT: loss per character, per epoch", "epoch", "cross-entropy", 560, 360)
        .line("loss", epochAxis, gptLoss).save(Display.file("12-gpt-loss.png")));
// expect: figure: .*12-gpt-loss\.png
