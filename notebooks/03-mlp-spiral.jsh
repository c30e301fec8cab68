// ==========================================================================================
// Notebook 3 — A multi-layer perceptron on the spiral, against a linear model
//
// Open it with   notebooks/open.sh 03-mlp-spiral
// Three arms of a spiral in the plane, one class per arm. A linear classifier can only cut
// the plane with straight lines, so it cannot follow the arms; a small ReLU network can.
// ==========================================================================================

import java.util.*;
import org.jgrad.core.*;
import org.jgrad.data.*;
import org.jgrad.nn.*;
import org.jgrad.nn.Module;     // (java.lang.Module has the same simple name)
import org.jgrad.optim.*;
import org.jgrad.train.*;
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

boolean SMALL = Boolean.getBoolean("jgrad.small");

// ------------------------------------------------------------------------------------------
// 1. The data: 3 arms, with angle noise. A second spiral with another seed is the test set.
// ------------------------------------------------------------------------------------------
int perClass = SMALL ? 80 : 200;
var train = Synthetic.spiral(perClass, 3, 0.2, 1);
var test = Synthetic.spiral(perClass, 3, 0.2, 2);
var X = train.features();     // [n, 2]: the points
var Y = train.labels();       // [n]: the class 0, 1 or 2 of each point, as floats
System.out.println("train features " + Arrays.toString(X.shape()) + ", labels " + Arrays.toString(Y.shape()));
// expect: train features \[(240|600), 2\], labels \[(240|600)\]

// map(title, model) draws the plane [-1, 1]² as text: each cell shows the class the model
// predicts there as a lower-case letter (a, b, c); training points are drawn in upper case.
// With a null model only the points are drawn.
void map(String title, Module model) {
    int w = 60, h = 28;
    float[] grid = new float[w * h * 2];
    for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
            grid[2 * (r * w + c)] = -1 + 2f * c / (w - 1);
            grid[2 * (r * w + c) + 1] = 1 - 2f * r / (h - 1);
        }
    }
    char[][] cells = new char[h][w];
    for (char[] row : cells) Arrays.fill(row, '.');
    if (model != null) {
        try (var off = GradMode.off()) {
            float[] predicted = model.forward(Tensor.of(grid, w * h, 2)).argmax(1).data();
            for (int i = 0; i < w * h; i++) cells[i / w][i % w] = (char) ('a' + (int) predicted[i]);
        }
    }
    float[] p = X.data(), lab = Y.data();
    for (int i = 0; i < lab.length; i++) {
        int c = Math.round((p[2 * i] + 1) / 2 * (w - 1)), r = Math.round((1 - p[2 * i + 1]) / 2 * (h - 1));
        if (c >= 0 && c < w && r >= 0 && r < h) cells[r][c] = (char) ('A' + (int) lab[i]);
    }
    System.out.println(title);
    for (char[] row : cells) System.out.println("  " + new String(row));
}

map("the training data: arm A, arm B, arm C", null);

// ------------------------------------------------------------------------------------------
// 2. The training loop, written out: forward, loss, zeroGrad, backward, step.
//    Full batch, cross-entropy on the logits, Adam.
// ------------------------------------------------------------------------------------------
int steps = SMALL ? 300 : 1500;

void train(String name, Module model, int steps, float lr) {
    var opt = new Adam(model.parameters(), lr);
    var lossFn = new CrossEntropyLoss();
    for (int s = 0; s <= steps; s++) {
        var logits = model.forward(X);
        var loss = lossFn.forward(logits, Y);
        if (s % (steps / 4) == 0) {
            System.out.printf(Locale.ROOT, "%-6s step %4d  loss %.4f  train accuracy %.3f%n", name, s, loss.item(),
                    Metrics.accuracy(logits, Y));
        }
        if (s == steps) break;
        opt.zeroGrad();
        loss.backward();
        opt.step();
    }
}

// Accuracy on a dataset, in eval mode and without a graph.
double accuracy(Module model, TensorDataset ds) {
    model.eval();
    try (var off = GradMode.off()) { return Metrics.accuracy(model.forward(ds.features()), ds.labels()); }
    finally { model.train(); }
}

// ------------------------------------------------------------------------------------------
// 3. A linear model: logits = x·Wᵀ + b. Its decision regions are separated by straight lines.
// ------------------------------------------------------------------------------------------
var rng = new SplittableRandom(42);
var linear = new Sequential(new Linear(2, 3, rng));
train("linear", linear, steps, 0.05f);
// expect ~ 1.0986 ± 0.05 after "step    0  loss"
map("linear model: three wedges, whatever the training", linear);

// ------------------------------------------------------------------------------------------
// 4. An MLP with two hidden layers of 64 ReLU units.
// ------------------------------------------------------------------------------------------
var mlp = new Sequential(
        new Linear(2, 64, rng), new ReLU(),
        new Linear(64, 64, rng), new ReLU(),
        new Linear(64, 3, rng));
System.out.println(mlp);
// expect: \(4\): Linear\(64→3\)
train("mlp", mlp, steps, 0.01f);
// expect ~ 1.0986 ± 0.05 after "step    0  loss"
// expect: loss 0\.0\d+  train accuracy (0\.9[5-9]\d|1\.000)\n\z
map("MLP: the regions follow the arms", mlp);

// The same map as a picture: the plane [-1, 1]² at 300 × 300 pixels, the training points on top.
int[] regions(Module model, int size) {
    float[] grid = new float[size * size * 2];
    for (int i = 0; i < size * size; i++) {
        grid[2 * i] = -1 + 2f * (i % size) / (size - 1);
        grid[2 * i + 1] = 1 - 2f * (i / size) / (size - 1);
    }
    try (var off = GradMode.off()) {
        float[] predicted = model.forward(Tensor.of(grid, size * size, 2)).argmax(1).data();
        int[] classes = new int[predicted.length];
        for (int i = 0; i < classes.length; i++) classes[i] = (int) predicted[i];
        return classes;
    }
}
double[] px = new double[Y.size(0)], py = new double[Y.size(0)];
int[] pc = new int[Y.size(0)];
for (int i = 0; i < pc.length; i++) {
    px[i] = (X.data()[2 * i] + 1) / 2 * 299;
    py[i] = (1 - X.data()[2 * i + 1]) / 2 * 299;
    pc[i] = (int) Y.data()[i];
}
display(Images.regions(Display.file("03-mlp-regions.png"), "MLP: the regions follow the arms", regions(mlp, 300), 300, 300, px, py, pc));
// expect: figure: .*03-mlp-regions\.png

System.out.printf(Locale.ROOT, "%-7s %6d parameters   train accuracy %.3f   test accuracy %.3f%n", "linear",
        linear.numParameters(), accuracy(linear, train), accuracy(linear, test));
// expect: linear +9 parameters
// expect < 0.65 after "accuracy"
// expect > 0.4 after "accuracy"
System.out.printf(Locale.ROOT, "%-7s %6d parameters   train accuracy %.3f   test accuracy %.3f%n", "mlp",
        mlp.numParameters(), accuracy(mlp, train), accuracy(mlp, test));
// expect: mlp +4547 parameters
// expect > 0.95 after "accuracy"

// The confusion matrix of the test set: rows are the true arm, columns the predicted one.
try (var off = GradMode.off()) {
    System.out.println(Metrics.confusion(mlp.forward(test.features()), test.labels(), "arm a", "arm b", "arm c").toTable());
}
// expect: accuracy 0\.9[5-9]\d+ over (240|600) samples

// Try it: remove the second hidden layer, or use 8 units instead of 64; raise the noise of
// the spiral to 0.5; train the linear model ten times longer — its accuracy barely moves.
