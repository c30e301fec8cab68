// ==========================================================================================
// Notebook 10 — DeepDream: change the image, not the network
//
// Open it with   notebooks/open.sh 10-deepdream
// Train a small CNN, then keep its weights fixed and climb the gradient of one hidden unit's
// mean activation with respect to the *pixels*:
//     x ← x + lr · g / mean|g|,   g = ∂/∂x ( mean activation of channel u − λ·TV(x) )
// The hidden layer's output comes from Sequential.slice(0, k): the first k modules of the
// network as a network of their own, sharing its weights. Jitter (shift the image by a pixel or
// two before each step, and back) and the smoothness penalty TV keep the ascent from building
// pixel-level noise. The full run, with octaves and pictures: ./jgrad deepdream.
// ==========================================================================================

import java.util.*;
import org.jgrad.core.*;
import org.jgrad.data.*;
import org.jgrad.nn.*;
import org.jgrad.nn.Module;     // (java.lang.Module has the same simple name)
import org.jgrad.optim.*;
import org.jgrad.train.*;
import org.jgrad.examples.TrainExample;   // for the Fashion-MNIST images shipped with the examples
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

// Small mode (-Djgrad.small=true): 2,000 training images and 1 epoch, a few seconds.
boolean SMALL = Boolean.getBoolean("jgrad.small");

// ------------------------------------------------------------------------------------------
// 1. A small CNN, trained briefly on the embedded Fashion-MNIST images.
// ------------------------------------------------------------------------------------------
var images = TrainExample.embedded();           // 10,000 images [n, 1, 28, 28] with labels
int nTrain = SMALL ? 2000 : 6000;
int[] first = new int[nTrain];
for (int i = 0; i < nTrain; i++) first[i] = i;
var batch = images.batch(first);
var train = new TensorDataset(batch.features(), batch.labels());
var rng = new SplittableRandom(1);
var net = new Sequential(new Conv2d(1, 16, 5, 1, 2, rng), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 5, 1, 2, rng), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(32 * 7 * 7, 64, rng), new ReLU(), new Linear(64, 10, rng));
var trainer = new Trainer(net, new CrossEntropyLoss(), new Adam(net.parameters(), 2e-3f)).progress(Progress.Mode.OFF);
trainer.fit(new DataLoader(train, 64, true, 1), null, SMALL ? 1 : 2);
// expect < 2.0 after "train loss"
net.eval();

// ------------------------------------------------------------------------------------------
// 2. The hidden layer: modules 0..3 end with the second convolution (32 channels, 14 × 14).
// ------------------------------------------------------------------------------------------
var hidden = net.slice(0, 4);
System.out.println(hidden);
// expect: \(3\): Conv2d\(16→32, kernel=5×5, padding=\[2, 2\]\)\n\)\n\z
var boot = images.batch(new int[] {0}).features();   // test item 0, an ankle boot [1, 1, 28, 28]
System.out.println("hidden output shape " + Arrays.toString(hidden.forward(boot).shape()));
// expect: hidden output shape \[1, 32, 14, 14\]

// Mean activation of channel u on a 28 × 28 image, and its gradient with respect to the pixels.
float meanOf(float[] x, int u) {
    try (var off = GradMode.off()) {
        return hidden.forward(Tensor.of(x.clone(), 1, 1, 28, 28)).narrow(1, u, 1).mean().item();
    }
}
float[] gradientOf(float[] x, int u) {
    var input = Tensor.of(x.clone(), 1, 1, 28, 28).requiresGrad();
    return Autograd.grad(hidden.forward(input).narrow(1, u, 1).mean(), input)[0].toArray();
}

// ------------------------------------------------------------------------------------------
// 3. The ascent, with jitter and the total-variation penalty TV(x) = Σ (neighbour differences)².
// ------------------------------------------------------------------------------------------
float[] roll(float[] x, int dy, int dx) {
    float[] y = new float[784];
    for (int r = 0; r < 28; r++) for (int q = 0; q < 28; q++) y[Math.floorMod(r + dy, 28) * 28 + Math.floorMod(q + dx, 28)] = x[r * 28 + q];
    return y;
}
float[] dream(float[] start, int u, int steps, float lr, float tv) {
    float[] x = start.clone();
    var jitter = new SplittableRandom(u);
    for (int s = 0; s < steps; s++) {
        int dy = jitter.nextInt(-2, 3), dx = jitter.nextInt(-2, 3);
        float[] g = roll(gradientOf(roll(x, dy, dx), u), -dy, -dx);   // the gradient, shifted back
        double sum = 0;
        for (int k = 0; k < 784; k++) {
            int r = k / 28, q = k % 28;
            float t = 0;                                                 // ∂TV/∂x at (r, q)
            if (r > 0) t += 2 * (x[k] - x[k - 28]);
            if (r < 27) t -= 2 * (x[k + 28] - x[k]);
            if (q > 0) t += 2 * (x[k] - x[k - 1]);
            if (q < 27) t -= 2 * (x[k + 1] - x[k]);
            g[k] -= tv * t;
            sum += Math.abs(g[k]);
        }
        float scale = (float) (lr / (sum / 784 + 1e-8));
        for (int k = 0; k < 784; k++) x[k] = Math.max(0f, Math.min(1f, x[k] + scale * g[k]));
    }
    return x;
}
float[] start = boot.toArray();
List<float[]> dreams = new ArrayList<>(List.of(start));        // for the picture below
for (int u : new int[] {0, 3, 6}) {
    float before = meanOf(start, u);
    float[] dreamt = dream(start, u, SMALL ? 30 : 60, 0.01f, 0.002f);
    dreams.add(dreamt);
    float after = meanOf(dreamt, u);
    System.out.printf(Locale.ROOT, "unit %d: start %.3f -> dream %.3f%n", u, before, after);
}
display(Images.grid(Display.file("10-dreams.png"), "the boot and its dreams for units 0, 3 and 6", dreams, 28, 28, 4, 4,
        List.of("start", "unit 0", "unit 3", "unit 6")));
// expect: figure: .*10-dreams\.png

// The weights did not move: the gradient was taken for the input alone.
// Try: another unit, a deeper slice (net.slice(0, 5) ends with the ReLU), a larger lr, tv = 0.
