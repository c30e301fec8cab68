// ==========================================================================================
// Notebook 1 — Tensors and automatic differentiation
//
// Open it with   notebooks/open.sh 01-tensors-autodiff
// Each block below is one JShell snippet: read the comment, look at what it printed, then
// change a number at the jshell> prompt and run it again.
// ==========================================================================================

import java.util.*;
import org.jgrad.core.*;

// Long snippets run shorter when the JVM has -Djgrad.small=true (the notebook tests use it).
boolean SMALL = Boolean.getBoolean("jgrad.small");

// show(what, value) prints "what = value"; a multi-line value (a matrix) starts on its own line.
void show(String what, Object value) {
    String s = value instanceof float[] f ? Arrays.toString(f)
             : value instanceof int[] i ? Arrays.toString(i)
             : String.valueOf(value);
    System.out.println(what + (s.contains("\n") ? " =\n" : " = ") + s);
}

// ------------------------------------------------------------------------------------------
// 1. A tensor is a shape plus a flat array of float32 numbers, stored row by row.
// ------------------------------------------------------------------------------------------
var x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);   // the data, then the shape [2, 3]
show("x", x);
show("x.shape()", x.shape());
// expect: x.shape\(\) = \[2, 3\]
show("x.get(1, 2)  (row 1, column 2)", x.get(1, 2));
// expect: column 2\) = 6\.0
show("x.toArray()  (the flat storage)", x.toArray());

// Ready-made tensors. Random ones take the random generator explicitly, so a seed
// reproduces them exactly — on any machine and with any number of threads.
show("zeros(2, 2)", Tensor.zeros(2, 2));
show("arange(5)", Tensor.arange(5));
show("randn(seed 42) [2, 3]", Tensor.randn(new SplittableRandom(42), 2, 3));
// expect: \[\[-0\.7172,  1\.0268,  1\.0367\],\s+\[ 0\.9597,  0\.0441, -0\.7951\]\]

// Reshaping changes how the same numbers are read, not the numbers.
show("x.reshape(3, 2)", x.reshape(3, 2));
show("x.transpose(0, 1)", x.transpose(0, 1));

// ------------------------------------------------------------------------------------------
// 2. Elementwise maths and broadcasting.
//    Shapes are compared from the right; a dimension of size 1 (or a missing one) is
//    stretched to match. [2, 3] + [3] adds the row vector to every row.
// ------------------------------------------------------------------------------------------
var row = Tensor.of(new float[] {10, 20, 30}, 3);
show("x + row            [2,3] + [3]", x.add(row));
// expect: \[\[11\., 22\., 33\.\],\s+\[14\., 25\., 36\.\]\]

var col = Tensor.of(new float[] {100, 200}, 2, 1);
show("x + col            [2,3] + [2,1]", x.add(col));
// expect: \[\[101\., 102\., 103\.\],\s+\[204\., 205\., 206\.\]\]

// An outer product by broadcasting: [3, 1] * [1, 4] -> [3, 4]
var a = Tensor.of(new float[] {1, 2, 3}, 3, 1);
var b = Tensor.of(new float[] {1, 10, 100, 1000}, 1, 4);
show("a * b              [3,1] * [1,4]", a.mul(b));
// expect: \[   3\.,   30\.,  300\., 3000\.\]\]

// Shapes that do not fit give an error that says why.
try {
    x.add(Tensor.ones(2, 2));
} catch (IllegalArgumentException e) {
    show("x + ones(2, 2) fails", e.getMessage());
}
// expect: shapes \[2, 3\] and \[2, 2\] cannot be broadcast \(dimension 1: 3 vs 2\)

// ------------------------------------------------------------------------------------------
// 3. Reductions: sum, mean, max over everything or along one dimension.
//    Dimension 0 runs down the rows (one result per column), dimension 1 along a row.
// ------------------------------------------------------------------------------------------
show("x.sum()", x.sum());
// expect: tensor\(21\.\)
show("x.sum(0)   column sums", x.sum(0));
// expect: tensor\(\[5\., 7\., 9\.\]\)
show("x.sum(1)   row sums", x.sum(1));
// expect: tensor\(\[ 6\., 15\.\]\)
show("x.mean(1, keepDim)  [2, 1]", x.mean(1, true));
// expect: \[\[2\.\],\s+\[5\.\]\]
show("x.max(1)", x.max(1));
// expect: tensor\(\[3\., 6\.\]\)
show("x.argmax(1)", x.argmax(1));
// expect: tensor\(\[2\., 2\.\]\)

// keepDim keeps a size-1 dimension so the result broadcasts back against x:
// centring each row is one line.
show("x - row means", x.sub(x.mean(1, true)));
// expect: \[\[-1\.,  0\.,  1\.\],\s+\[-1\.,  0\.,  1\.\]\]

// softmax along dimension 1 turns each row into probabilities that add up to 1.
var p = x.softmax(1);
show("softmax(x, 1)", p);
// expect: \[\[0\.0900, 0\.2447, 0\.6652\],\s+\[0\.0900, 0\.2447, 0\.6652\]\]
show("row sums of softmax", p.sum(1));
// expect: tensor\(\[1\., 1\.\]\)

// Matrix product: [2, 3] @ [3, 2] -> [2, 2]
show("x @ xᵀ", x.matmul(x.T()));
// expect: \[\[14\., 32\.\],\s+\[32\., 77\.\]\]

// ------------------------------------------------------------------------------------------
// 4. Gradients. requiresGrad() asks jgrad to record every operation on a tensor; backward()
//    walks that record in reverse and leaves dy/dx in x.grad().
//    y = x² + 3x at x = 2:  dy/dx = 2x + 3 = 7.
// ------------------------------------------------------------------------------------------
var t = Tensor.scalar(2f).requiresGrad();
var y = t.mul(t).add(t.mul(3f));
show("y", y);                         // gradFn shows the last recorded operation
// expect: y = tensor\(10\., gradFn=<add>\)
y.backward();
show("dy/dx at 2", t.grad());
// expect: dy/dx at 2 = tensor\(7\.\)

// Gradients ACCUMULATE: a second backward adds to .grad. That is why every training step
// starts with zeroGrad().
var y2 = t.mul(t).add(t.mul(3f));
y2.backward();
show("after a second backward (7 + 7)", t.grad());
// expect: = tensor\(14\.\)
t.zeroGrad();
show("after zeroGrad()", t.grad());
// expect: after zeroGrad\(\) = null

// The gradient of a sum over a tensor has the tensor's shape: d/dw sum(relu(x @ w)).
var w = Tensor.randn(new SplittableRandom(42), 3, 4).requiresGrad();
var loss = x.matmul(w).relu().sum();
loss.backward();
show("loss", loss);
// expect: loss = tensor\(28\.0000, gradFn=<sum>\)
show("w.grad()  [3, 4]", w.grad());
// expect: \[\[5\., 0\., 5\., 5\.\],\s+\[7\., 0\., 7\., 7\.\],\s+\[9\., 0\., 9\., 9\.\]\]

// GradMode.off(): inside the block nothing is recorded — for evaluation, and for updating
// weights by hand without the update itself becoming part of the graph.
try (var off = GradMode.off()) {
    var noGraph = w.mul(2f);
    show("w * 2 under GradMode.off() requires grad?", noGraph.isRequiresGrad());
}
// expect: requires grad\? = false
show("w * 2 outside requires grad?", w.mul(2f).isRequiresGrad());
// expect: requires grad\? = true

// ------------------------------------------------------------------------------------------
// 5. Course example 1:  f(x) = (x1·x2·sin x3 + e^(x1·x2)) / x3   at (1, 2, π/2)
//    The forward trace, written with the same intermediate variables as on the board.
// ------------------------------------------------------------------------------------------
var x1 = Tensor.scalar(1f).requiresGrad();
var x2 = Tensor.scalar(2f).requiresGrad();
var x3 = Tensor.scalar((float) (Math.PI / 2)).requiresGrad();
var x4 = x1.mul(x2);          // x1·x2
var x5 = x3.sin();            // sin x3
var x6 = x4.exp();            // e^(x1·x2)
var x7 = x4.mul(x5);          // x1·x2·sin x3
var x8 = x7.add(x6);          // numerator
var f = x8.div(x3);           // f
System.out.printf(Locale.ROOT, "x4 = %.6f  x5 = %.6f  x6 = %.6f  x7 = %.6f  x8 = %.6f  f = %.6f%n",
        x4.item(), x5.item(), x6.item(), x7.item(), x8.item(), f.item());
// expect ~ 7.389056 ± 1e-5 after "x6 ="
// expect ~ 9.389056 ± 1e-5 after "x8 ="
// expect ~ 5.977259 ± 1e-5 after "  f ="

// Forward mode gives one directional derivative per pass (one pass per INPUT direction):
// Autograd.jvp carries the tangent p = e1 through every op of the same function.
var fwd = Autograd.jvp(in -> in[0].mul(in[1]).mul(in[2].sin()).add(in[0].mul(in[1]).exp()).div(in[2]),
        new Tensor[] {Tensor.scalar(1f), Tensor.scalar(2f), Tensor.scalar((float) (Math.PI / 2))},
        new Tensor[] {Tensor.scalar(1f), Tensor.scalar(0f), Tensor.scalar(0f)});
show("df/dx1 by forward mode (jvp with p = e1)", fwd[1]);
// expect: tensor\(10\.6813\)

// One backward pass gives all three partial derivatives (reverse mode: one pass per OUTPUT).
f.backward();
double e2 = Math.exp(2), pi = Math.PI;
System.out.printf(Locale.ROOT, "autograd: df/dx1 = %.6f  df/dx2 = %.6f  df/dx3 = %.6f%n",
        x1.grad().item(), x2.grad().item(), x3.grad().item());
// expect ~ 10.681278 ± 1e-5 after "df/dx1 ="
// expect ~ 5.340639 ± 1e-5 after "df/dx2 ="
// expect ~ -3.805241 ± 1e-5 after "df/dx3 ="
System.out.printf(Locale.ROOT, "by hand:  (4+4e²)/π = %.6f  (2+2e²)/π = %.6f  -(8+4e²)/π² = %.6f%n",
        (4 + 4 * e2) / pi, (2 + 2 * e2) / pi, -(8 + 4 * e2) / (pi * pi));

// ------------------------------------------------------------------------------------------
// 6. Course example 2: two outputs sharing x1·x2, at (x1, x2) = (2, 3)
//      y1 = sin(x1·x2)        y2 = x1·x2 + log x2
//    Reverse mode gives one ROW of the Jacobian per backward pass. Autograd.grad returns the
//    gradients without writing .grad; retainGraph keeps the shared part for the second pass.
// ------------------------------------------------------------------------------------------
var u1 = Tensor.scalar(2f).requiresGrad();
var u2 = Tensor.scalar(3f).requiresGrad();
var prod = u1.mul(u2);
var v1 = prod.sin();
var v2 = prod.add(u2.log());
show("y1 = sin 6", v1.item());
// expect ~ -0.2794155 ± 1e-6 after "sin 6 ="
show("y2 = 6 + log 3", v2.item());
// expect ~ 7.0986123 ± 1e-6 after "log 3 ="

var row1 = Autograd.grad(v1, null, true, u1, u2);   // keep the graph: v2 shares prod
var row2 = Autograd.grad(v2, u1, u2);
System.out.printf(Locale.ROOT, "dy1/dx = (%.6f, %.6f)   by hand (3 cos 6, 2 cos 6) = (%.6f, %.6f)%n",
        row1[0].item(), row1[1].item(), 3 * Math.cos(6), 2 * Math.cos(6));
// expect: dy1/dx = \(2\.88051\d, 1\.92034\d\)
System.out.printf(Locale.ROOT, "dy2/dx = (%.6f, %.6f)   by hand (x2, x1 + 1/x2)   = (3.000000, %.6f)%n",
        row2[0].item(), row2[1].item(), 2 + 1 / 3.0);
// expect: dy2/dx = \(3\.000000, 2\.33333\d\)

// With a vector output y = (y1, y2), backward needs a "cotangent" v shaped like y and
// computes vᵀ·J. v = (1, 0) picks the first row of the Jacobian; v = (1, 1) adds both rows.
var xs = Tensor.of(new float[] {2, 3}, 2).requiresGrad();
var xa = xs.narrow(0, 0, 1);   // x1, as a [1] view
var xb = xs.narrow(0, 1, 1);   // x2
var ys = Tensor.cat(0, xa.mul(xb).sin(), xa.mul(xb).add(xb.log()));
show("y", ys);
// expect: tensor\(\[-0\.2794,  7\.0986\], gradFn=<cat>\)
ys.backward(Tensor.of(new float[] {1, 0}, 2), true);
show("vᵀJ for v = (1, 0): the first row", xs.grad());
// expect: tensor\(\[2\.8805, 1\.9203\]\)
xs.zeroGrad();
ys.backward(Tensor.of(new float[] {1, 1}, 2));
show("vᵀJ for v = (1, 1): the sum of the rows", xs.grad());
// expect: tensor\(\[5\.8805, 4\.2537\]\)

// Forward mode carries a tangent (a direction) through every op instead: ONE pass per INPUT
// direction gives one COLUMN of the Jacobian. Autograd.jvp(f, primals, tangents) returns
// {f(x), J·tangent}, like torch.func.jvp.
java.util.function.Function<Tensor, Tensor> y = t -> {
    var p = t.narrow(0, 0, 1).mul(t.narrow(0, 1, 1));
    return Tensor.cat(0, p.sin(), p.add(t.narrow(0, 1, 1).log()));
};
var at = Tensor.of(new float[] {2, 3}, 2);
show("J·e1 (first column: 3 cos 6, 3)", Autograd.jvp(in -> y.apply(in[0]), new Tensor[] {at},
        new Tensor[] {Tensor.of(new float[] {1, 0}, 2)})[1]);
// expect: tensor\(\[2\.8805, 3\.0000\]\)
// The whole Jacobian either way: forward mode needs n passes (inputs), reverse mode m (outputs);
// Autograd.jacobian picks the cheaper one.
show("J by forward mode (2 jvp passes)", Autograd.jacobian(y, at, Autograd.Sweep.FORWARD));
// expect: \[\[2\.8805, 1\.9203\],\s+\[3\.0000, 2\.3333\]\]
show("J by reverse mode (2 vjp passes)", Autograd.jacobian(y, at, Autograd.Sweep.REVERSE));
// expect: \[\[2\.8805, 1\.9203\],\s+\[3\.0000, 2\.3333\]\]

// ------------------------------------------------------------------------------------------
// 7. Checking gradients by finite differences.
//    The naive check (f(x+h) − f(x−h)) / 2h is unreliable in float32: small h drowns in
//    rounding, large h in curvature. Watch the error on example 1's df/dx3 (exact value
//    computed in double):
// ------------------------------------------------------------------------------------------
double exact = -(8 + 4 * e2) / (pi * pi);
for (double h : new double[] {1e-1, 1e-2, 1e-3, 1e-4, 1e-5}) {
    float lo = (float) (pi / 2 - h), hi = (float) (pi / 2 + h);
    float fLo = (2 * (float) Math.sin(lo) + (float) Math.exp(2)) / lo;
    float fHi = (2 * (float) Math.sin(hi) + (float) Math.exp(2)) / hi;
    double numeric = (fHi - fLo) / (2 * h);
    System.out.printf(Locale.ROOT, "h = %.0e   numeric %.6f   relative error %.2e%n", h, numeric,
            Math.abs(numeric - exact) / Math.abs(exact));
}
// expect: h = 1e-02   numeric -3\.805\d+   relative error \d\.\d\de-05
// expect: h = 1e-05   numeric \S+   relative error \d\.\d\de-03

// GradCheck does it carefully (a random cotangent, sums in double, a step scaled to each
// input, a tolerance that knows float32's rounding) and reports the worst element.
var check = GradCheck.check("example 1",
        in -> in[0].mul(in[1]).mul(in[2].sin()).add(in[0].mul(in[1]).exp()).div(in[2]),
        Tensor.scalar(1f).requiresGrad(), Tensor.scalar(2f).requiresGrad(),
        Tensor.scalar((float) (Math.PI / 2)).requiresGrad());
show("check", check);
// expect: GradCheck 'example 1' passed
// expect < 1e-4 after "|difference|"

// Any tensor function works: here softmax of a product, on random [3, 4] and [4, 5] inputs.
var rng = new SplittableRandom(7);
var m1 = Tensor.randn(rng, 3, 4).requiresGrad();
var m2 = Tensor.randn(rng, 4, 5).requiresGrad();
show("matmul + softmax passes?", GradCheck.check("softmax(a @ b)", in -> in[0].matmul(in[1]).softmax(1), m1, m2).ok());
// expect: passes\? = true

// Try it: write your own function of x1, x2, x3, call backward() and compare with your
// hand derivation — then check it with GradCheck.check(...).
