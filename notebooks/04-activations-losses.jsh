// ==========================================================================================
// Notebook 4 — Activation functions and loss functions: values and gradients
//
// Open it with   notebooks/open.sh 04-activations-losses
// Every number below comes from the library: values from the forward pass, derivatives from
// autograd (the gradient of Σ f(xᵢ) with respect to x is f′(xᵢ) element by element).
// ==========================================================================================

import java.util.*;
import java.util.function.UnaryOperator;
import org.jgrad.core.*;
import org.jgrad.nn.*;
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

boolean SMALL = Boolean.getBoolean("jgrad.small");

// row(name, values) prints one line of a table: a name, then the numbers with 3 decimals.
void row(String name, float[] values) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s", name));
    for (float v : values) sb.append(String.format(Locale.ROOT, "%9.3f", v));
    System.out.println(sb);
}

// ------------------------------------------------------------------------------------------
// 1. Activations at a few points, and their derivatives.
// ------------------------------------------------------------------------------------------
float[] points = {-3, -2, -1, -0.5f, 0, 0.5f, 1, 2, 3};

var activations = new LinkedHashMap<String, UnaryOperator<Tensor>>();
activations.put("relu", Functional::relu);
activations.put("leakyRelu.1", v -> Functional.leakyRelu(v, 0.1f));
activations.put("elu", v -> Functional.elu(v, 1f));
activations.put("selu", Functional::selu);
activations.put("gelu", Functional::gelu);
activations.put("silu", Functional::silu);
activations.put("mish", Functional::mish);
activations.put("softplus", Functional::softplus);
activations.put("sigmoid", Functional::sigmoid);
activations.put("tanh", Functional::tanh);
activations.put("hardtanh", v -> Functional.hardtanh(v, -1f, 1f));

// value(f) and slope(f): f at the points, and f′ at the points through one backward pass.
float[] value(UnaryOperator<Tensor> f) {
    try (var off = GradMode.off()) { return f.apply(Tensor.of(points, points.length)).toArray(); }
}
float[] slope(UnaryOperator<Tensor> f) {
    var x = Tensor.of(points, points.length).requiresGrad();
    return Autograd.grad(f.apply(x).sum(), x)[0].toArray();
}

row("x", points);
System.out.println("values f(x)");
activations.forEach((name, f) -> row(name, value(f)));
// expect: relu            0.000    0.000    0.000    0.000    0.000    0.500    1.000    2.000    3.000
// expect: elu            -0.950   -0.865   -0.632   -0.393    0.000    0.500    1.000    2.000    3.000
// expect: selu           -1.671   -1.520   -1.111   -0.692    0.000    0.525    1.051    2.101    3.152
// expect: gelu           -0.004   -0.046   -0.159   -0.154    0.000    0.346    0.841    1.954    2.996
// expect: silu           -0.142   -0.238   -0.269   -0.189    0.000    0.311    0.731    1.762    2.858
// expect: softplus        0.049    0.127    0.313    0.474    0.693    0.974    1.313    2.127    3.049
// expect: sigmoid         0.047    0.119    0.269    0.378    0.500    0.622    0.731    0.881    0.953
// expect: tanh           -0.995   -0.964   -0.762   -0.462    0.000    0.462    0.762    0.964    0.995
System.out.println("derivatives f'(x)");
activations.forEach((name, f) -> row(name, slope(f)));
// expect: relu            0.000    0.000    0.000    0.000    0.000    1.000    1.000    1.000    1.000
// expect: leakyRelu.1     0.100    0.100    0.100    0.100    0.100    1.000    1.000    1.000    1.000
// expect: selu            0.088    0.238    0.647    1.066    1.758    1.051    1.051    1.051    1.051
// expect: gelu           -0.012   -0.085   -0.083    0.133    0.500    0.867    1.083    1.085    1.012
// expect: softplus        0.047    0.119    0.269    0.378    0.500    0.622    0.731    0.881    0.953
// expect: sigmoid         0.045    0.105    0.197    0.235    0.250    0.235    0.197    0.105    0.045
// expect: tanh            0.010    0.071    0.420    0.786    1.000    0.786    0.420    0.071    0.010
// expect: hardtanh        0.000    0.000    0.000    1.000    1.000    1.000    0.000    0.000    0.000

// Six of them as curves on [-3, 3], 121 points (Plot takes doubles).
double[] curveX = new double[121];
for (int i = 0; i < 121; i++) curveX[i] = -3 + i * 0.05;
var curves = Plot.of("activations f(x)", "x", "f(x)", 560, 360);
for (String name : List.of("relu", "elu", "gelu", "softplus", "sigmoid", "tanh")) {
    float[] fx;
    try (var off = GradMode.off()) { fx = activations.get(name).apply(Tensor.arange(-3f, 3.025f, 0.05f)).toArray(); }
    double[] y = new double[121];
    for (int i = 0; i < 121; i++) y[i] = fx[i];
    curves.line(name, curveX, y);
}
display(curves.save(Display.file("04-activations.png")));
// expect: figure: .*04-activations\.png

// What to notice:
// * ReLU's slope is exactly 0 for x < 0 (a unit that is always negative stops learning: a
//   "dead" unit) and 1 for x > 0; at the kink x = 0 jgrad uses 0, as PyTorch does.
// * sigmoid′ is at most 0.25 (at 0), so a chain of n sigmoid layers multiplies the gradient
//   by at most 0.25ⁿ — the vanishing gradient. tanh′ reaches 1 at 0 but also fades fast.
double sigmoidChain = Math.pow(0.25, 10);
System.out.printf(Locale.ROOT, "largest sigmoid' = %.3f; through 10 sigmoid layers at most %.2e%n",
        slope(Functional::sigmoid)[4], sigmoidChain);
// expect: largest sigmoid' = 0\.250; through 10 sigmoid layers at most 9\.54e-07

// The activations exist as modules too, to put in a Sequential: new ReLU(), new GELU(), ...
var asModule = new Sequential(new Linear(2, 2), new GELU(), new Linear(2, 1), new Sigmoid());
System.out.println(asModule);
// expect: \(1\): GELU\(\)\n  \(2\): Linear\(2→1\)\n  \(3\): Sigmoid\(\)

// Stable forms: at x = ±100 nothing overflows. A naive softplus log(1 + eˣ) in float does.
var big = Tensor.of(new float[] {-100, 100}, 2);
row("x", big.toArray());
row("sigmoid", Functional.sigmoid(big).toArray());
// expect: sigmoid         0\.000    1\.000
row("softplus", Functional.softplus(big).toArray());
// expect: softplus        0\.000  100\.000
row("naive log1+e", big.exp().add(1f).log().toArray());
// expect: naive log1\+e    0\.000 Infinity

// The step function of the perceptron has no useful gradient; jgrad says so instead of
// silently returning zeros.
try {
    var s = Tensor.of(points, points.length).requiresGrad();
    Functional.step(s, 0f).sum().backward();
} catch (IllegalStateException e) {
    System.out.println("backward through step: " + e.getMessage());
}
// expect: backward through step: .*no useful gradient

// ------------------------------------------------------------------------------------------
// 2. Regression losses on residuals r = prediction − target, per element (Reduction.NONE).
//    MSE grows like r², L1 like |r|; Huber and smooth-L1 are quadratic near 0 and linear far
//    away, so one outlier does not dominate; log-cosh is a smooth version of the same idea.
// ------------------------------------------------------------------------------------------
float[] residuals = {-3, -2, -1, -0.5f, 0, 0.5f, 1, 2, 3};
var target = Tensor.zeros(residuals.length);

var losses = new LinkedHashMap<String, Loss>();
losses.put("mse", new MSELoss(Reduction.NONE));
losses.put("l1", new L1Loss(Reduction.NONE));
losses.put("huber(1)", new HuberLoss(Reduction.NONE, 1f));
losses.put("smoothL1(1)", new SmoothL1Loss(Reduction.NONE, 1f));
losses.put("logcosh", new LogCoshLoss(Reduction.NONE));

row("r", residuals);
System.out.println("loss l(r)");
losses.forEach((name, loss) -> {
    try (var off = GradMode.off()) { row(name, loss.forward(Tensor.of(residuals, residuals.length), target).toArray()); }
});
// expect: mse             9.000    4.000    1.000    0.250    0.000    0.250    1.000    4.000    9.000
// expect: l1              3.000    2.000    1.000    0.500    0.000    0.500    1.000    2.000    3.000
// expect: huber\(1\)        2.500    1.500    0.500    0.125    0.000    0.125    0.500    1.500    2.500
// expect: logcosh         2.309    1.325    0.434    0.120    0.000    0.120    0.434    1.325    2.309
System.out.println("dl/dprediction");
losses.forEach((name, loss) -> {
    var pred = Tensor.of(residuals, residuals.length).requiresGrad();
    row(name, Autograd.grad(loss.forward(pred, target).sum(), pred)[0].toArray());
});
// expect: mse            -6.000   -4.000   -2.000   -1.000    0.000    1.000    2.000    4.000    6.000
// expect: l1             -1.000   -1.000   -1.000   -1.000    0.000    1.000    1.000    1.000    1.000
// expect: huber\(1\)       -1.000   -1.000   -1.000   -0.500    0.000    0.500    1.000    1.000    1.000
// expect: logcosh        -0.995   -0.964   -0.762   -0.462    0.000    0.462    0.762    0.964    0.995

// The default reduction is the MEAN over elements; SUM and NONE are the other choices.
var pred = Tensor.of(residuals, residuals.length);
System.out.printf(Locale.ROOT, "MSE mean %.4f   sum %.4f   (sum / 9 = %.4f)%n", new MSELoss().forward(pred, target).item(),
        new MSELoss(Reduction.SUM).forward(pred, target).item(), new MSELoss(Reduction.SUM).forward(pred, target).item() / 9);
// expect: MSE mean 3\.1667   sum 28\.5000   \(sum / 9 = 3\.1667\)

// ------------------------------------------------------------------------------------------
// 3. Classification: cross-entropy on logits.
//    loss = −log softmax(z)[y]; its gradient with respect to the logits is softmax(z) − onehot(y).
// ------------------------------------------------------------------------------------------
var logits = Tensor.of(new float[] {2.0f, 1.0f, 0.1f}, 1, 3).requiresGrad();
var label = Tensor.of(new float[] {0}, 1);   // class index 0, held in a float tensor
var ce = new CrossEntropyLoss().forward(logits, label);
var probs = logits.softmax(1);
System.out.printf(Locale.ROOT, "softmax = %s%ncross-entropy = %.4f   −log p0 = %.4f%n", Arrays.toString(probs.toArray()),
        ce.item(), -Math.log(probs.get(0, 0)));
// expect: softmax = \[0\.659001\d*, 0\.24243\d*, 0\.098565\d*\]
// expect ~ 0.4170 ± 0.0001 after "cross-entropy ="
ce.backward();
System.out.println("dCE/dlogits      = " + Arrays.toString(logits.grad().toArray()));
// expect: = \[-0\.3409\d*, 0\.24243\d*, 0\.098565\d*\]
System.out.println("softmax − onehot = " + Arrays.toString(probs.sub(Tensor.of(new float[] {1, 0, 0}, 1, 3)).toArray()));

// A confident wrong answer costs much more than an unsure one.
for (float z : new float[] {0, 2, 5, 10}) {
    var l = new CrossEntropyLoss().forward(Tensor.of(new float[] {z, 0, 0}, 1, 3), Tensor.of(new float[] {1}, 1));
    System.out.printf(Locale.ROOT, "logits (%4.1f, 0, 0), true class 1: loss %.4f%n", z, l.item());
}
// expect rising after "loss"
// expect ~ 1.0986 ± 0.0001 after "( 0.0, 0, 0), true class 1: loss"
// expect ~ 10.0001 ± 0.0001 after "(10.0, 0, 0), true class 1: loss"

// Two classes: binary cross-entropy. BCEWithLogitsLoss takes the raw score and stays exact
// (for a wrong score s it is about s); BCELoss takes a probability, and sigmoid(20) already
// rounds to exactly 1 in float32, so log(1 − p) is −∞ and the loss is clamped at 100.
var score = Tensor.of(new float[] {3f, 20f, 100f}, 3);
var y01 = Tensor.of(new float[] {1f, 0f, 0f}, 3);
var perSampleLogits = new BCEWithLogitsLoss(Reduction.NONE).forward(score, y01);
var perSampleProbs = new BCELoss(Reduction.NONE).forward(score.sigmoid(), y01);
System.out.println("scores (3, 20, 100), targets (1, 0, 0)");
System.out.println("BCE with logits:              " + Arrays.toString(perSampleLogits.toArray()));
// expect: \[0\.04858\d*, 20\.0, 100\.0\]
System.out.println("BCE on sigmoid probabilities: " + Arrays.toString(perSampleProbs.toArray()));
// expect: \[0\.04858\d*, 100\.0, 100\.0\]

// The hinge loss of the SVM (labels ±1): zero once the score is beyond the margin.
var svm = new HingeLoss(Reduction.NONE, 1f).forward(Tensor.of(new float[] {2f, 0.5f, -1f}, 3), Tensor.of(new float[] {1, 1, 1}, 3));
System.out.println("hinge, scores (2, 0.5, −1), label +1: " + Arrays.toString(svm.toArray()));
// expect: \[0\.0, 0\.5, 2\.0\]

// KL divergence between two distributions: 0 when they are equal, positive otherwise.
var pTrue = Tensor.of(new float[] {0.7f, 0.2f, 0.1f}, 1, 3);
var qGuess = Tensor.of(new float[] {0.4f, 0.4f, 0.2f}, 1, 3);
var kl = new KLDivLoss(Reduction.BATCH_MEAN, false);
System.out.printf(Locale.ROOT, "KL(p ‖ p) = %.4f   KL(p ‖ q) = %.4f%n", kl.forward(pTrue.log(), pTrue).item(),
        kl.forward(qGuess.log(), pTrue).item());
// expect: KL\(p ‖ p\) = 0\.0000   KL\(p ‖ q\) = 0\.1838

// Imbalanced classes: weight each class by n / (C·n_c) (scikit-learn's "balanced"), or by the
// "effective number of samples" of Cui et al. 2019, and give the weights to CrossEntropyLoss.
var labels = Tensor.of(new float[] {0, 0, 0, 1}, 4);
System.out.println("balanced weights:         " + Arrays.toString(ClassWeights.inverseFrequency(labels, 2).toArray()));
// expect: balanced weights: +\[0\.6666667, 2\.0\]
System.out.println("effective number, β 0.9:  " + Arrays.toString(ClassWeights.effectiveNumber(labels, 2, 0.9).toArray()));
// expect: β 0\.9: +\[0\.539\d*, 1\.46\d*\]
var weighted = new CrossEntropyLoss(Reduction.MEAN, ClassWeights.inverseFrequency(labels, 2), 0f);

// Hard negatives for the triplet loss (Hermans et al. 2017): in a batch, each anchor takes its
// farthest positive and its nearest negative — the pairs that still teach something.
var emb = Tensor.of(new float[] {0, 0, 0, 1, 0, 3, 0, 2}, 4, 2);
var who = Tensor.of(new float[] {0, 0, 1, 1}, 4);
var hard = new BatchHardTripletLoss();
var mined = hard.mine(emb, who);
System.out.println("hardest positives " + Arrays.toString(mined.positives()) + ", hardest negatives " + Arrays.toString(mined.negatives()));
// expect: hardest positives \[1, 0, 3, 2\], hardest negatives \[3, 3, 1, 1\]
System.out.printf(Locale.ROOT, "batch-hard triplet loss %.4f%n", hard.forward(emb, who).item());
// expect ~ 0.5 ± 0.0001 after "batch-hard triplet loss"

// Try it: add Functional::logSigmoid or v -> Functional.swish(v, 2f) to the activations, or compare
// HuberLoss with delta 0.5 and 2.
