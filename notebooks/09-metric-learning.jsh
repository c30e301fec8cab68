// ==========================================================================================
// Notebook 9 — Metric learning: siamese twins, the contrastive and the triplet loss
//
// Open it with   notebooks/open.sh 09-metric-learning
// Instead of a class, the network f maps each image to a point (an embedding) so that images
// of the same kind lie close and others far. "Siamese twins" are one net applied to each image
// of a pair (or triplet): the weights are shared. Two losses teach the distances:
//   contrastive  ½·(y·d² + (1 − y)·max(0, m − d)²),  d = ‖f(x1) − f(x2)‖, y = 1 for a similar pair
//   triplet      max(‖f(q) − f(p)‖² − ‖f(q) − f(n)‖² + m, 0)   (the lecture's, squared distances)
// Judged by retrieval: is the nearest gallery image of a query of the query's class?
// The full run, with pictures: ./jgrad siamese.
// ==========================================================================================

import java.util.*;
import org.jgrad.core.*;
import org.jgrad.data.*;
import org.jgrad.nn.*;
import org.jgrad.nn.Module;     // (java.lang.Module has the same simple name)
import org.jgrad.optim.*;
import org.jgrad.examples.TrainExample;   // for the Fashion-MNIST images shipped with the examples
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

// Small mode (-Djgrad.small=true): a gallery of 2,000 images, 300 queries and 2 epochs, a few seconds.
boolean SMALL = Boolean.getBoolean("jgrad.small");

// show(what, value) prints "what = value".
void show(String what, Object value) {
    System.out.println(what + " = " + value);
}

// ------------------------------------------------------------------------------------------
// 1. The data: a gallery of training images with labels, and queries from other images.
// ------------------------------------------------------------------------------------------
var images = TrainExample.embedded();           // 10,000 Fashion-MNIST images [n, 1, 28, 28]
float[] pixels = images.features().data(), labelData = images.labels().data();
int nGallery = SMALL ? 2000 : 6000, nQueries = SMALL ? 300 : 1000;
var gallery = Tensor.of(Arrays.copyOf(pixels, nGallery * 784), nGallery, 784);
var queries = Tensor.of(Arrays.copyOfRange(pixels, (10000 - nQueries) * 784, 10000 * 784), nQueries, 784);
int[] galleryLabels = new int[nGallery], queryLabels = new int[nQueries];
for (int i = 0; i < nGallery; i++) galleryLabels[i] = (int) labelData[i];
for (int i = 0; i < nQueries; i++) queryLabels[i] = (int) labelData[10000 - nQueries + i];
show("gallery, queries", Arrays.toString(gallery.shape()) + ", " + Arrays.toString(queries.shape()));
// expect: gallery, queries = \[(2000|6000), 784\], \[(300|1000), 784\]

// Retrieval accuracy: the fraction of queries whose nearest gallery row (Euclidean) has their
// label. ‖q − g‖² = ‖q‖² − 2 q·g + ‖g‖², with all the q·g as one matrix product.
double retrieval(Tensor q, Tensor g) {
    int m = q.size(0), n = g.size(0);
    float[] dots, gg;
    try (var off = GradMode.off()) {
        dots = q.matmul(g.T()).toArray();
        gg = g.mul(g).sum(1).toArray();
    }
    int right = 0;
    for (int i = 0; i < m; i++) {
        int best = 0;
        for (int j = 1; j < n; j++) if (gg[j] - 2 * dots[i * n + j] < gg[best] - 2 * dots[i * n + best]) best = j;
        if (galleryLabels[best] == queryLabels[i]) right++;
    }
    return (double) right / m;
}
// Ten classes in equal numbers: a guess is right 10 % of the time.
System.out.printf(Locale.ROOT, "retrieval on raw pixels: %.1f%% (chance 10.0%%)%n", 100 * retrieval(queries, gallery));
// expect > 60 after "raw pixels:"

// ------------------------------------------------------------------------------------------
// 2. The twins share one net f: 784 → 128 → 64 → 2 (two numbers, so the embedding could be drawn).
//    Weight sharing means the gradient of a pair's loss is the sum of what flows through
//    each branch: check it with Autograd.grad, detaching one branch at a time.
// ------------------------------------------------------------------------------------------
Sequential net(long seed) {
    var r = new SplittableRandom(seed);
    return new Sequential(new Linear(784, 128, r), new ReLU(), new Linear(128, 64, r), new ReLU(), new Linear(64, 2, r));
}
var f = net(1);
var x1 = gallery.narrow(0, 0, 8);
var x2 = gallery.narrow(0, 8, 8);
float[] same = new float[8];
for (int i = 0; i < 8; i++) same[i] = galleryLabels[i] == galleryLabels[8 + i] ? 1 : 0;
var contrastive = new ContrastiveLoss();
var w0 = f.parameters().get(0);                   // the first layer's weights
var gA = Autograd.grad(contrastive.forward(f.forward(x1), f.forward(x2).detach(), Tensor.of(same)), w0)[0];
var gB = Autograd.grad(contrastive.forward(f.forward(x1).detach(), f.forward(x2), Tensor.of(same)), w0)[0];
var gBoth = Autograd.grad(contrastive.forward(f.forward(x1), f.forward(x2), Tensor.of(same)), w0)[0];
float[] diff = gBoth.sub(gA.add(gB)).abs().toArray();
double maxDiff = 0;
for (float d : diff) maxDiff = Math.max(maxDiff, d);
System.out.printf(Locale.ROOT, "gradient on f's first weights: |through A + through B − through both| at most %.1e%n", maxDiff);
// expect < 1e-5 after "at most"
System.out.printf(Locale.ROOT, "retrieval through the untrained f: %.1f%%%n", 100 * retrieval(f.forward(queries), f.forward(gallery)));
// expect < 40 after "untrained f:"

// ------------------------------------------------------------------------------------------
// 3. Training on triplets: for each query q a positive p of its class and a negative n of
//    another class, fresh each epoch. The contrastive loss takes each triplet as two pairs,
//    (q, p) similar and (q, n) not.
// ------------------------------------------------------------------------------------------
int[][] byClass = new int[10][];
for (int k = 0; k < 10; k++) {
    final int cls = k;
    byClass[k] = java.util.stream.IntStream.range(0, nGallery).filter(i -> galleryLabels[i] == cls).toArray();
}
Tensor rows(int[] idx) {
    float[] src = gallery.data(), dst = new float[idx.length * 784];
    for (int i = 0; i < idx.length; i++) System.arraycopy(src, idx[i] * 784, dst, i * 784, 784);
    return Tensor.of(dst, idx.length, 784);
}
interface Objective { Tensor loss(Module f, Tensor q, Tensor p, Tensor n); }

Objective contrastivePairs = (net, q, p, n) -> {
    float[] y = new float[2 * q.size(0)];
    Arrays.fill(y, 0, q.size(0), 1f);
    return contrastive.forward(net.forward(Tensor.cat(0, q, q)), net.forward(Tensor.cat(0, p, n)), Tensor.of(y));
};
Objective tripletSquared = (net, q, p, n) -> TripletMarginLoss.squared(1f).forward(net.forward(q), net.forward(p), net.forward(n));

int epochs = SMALL ? 2 : 5, B = 64;
double train(String name, Module net, Objective objective) {
    var opt = new Adam(net.parameters(), 1e-3f);
    var r = new SplittableRandom(7);      // the same triplets for every objective
    for (int e = 1; e <= epochs; e++) {
        int[] order = r.ints(0, nGallery).distinct().limit(nGallery).toArray();
        double sum = 0;
        int batches = 0;
        for (int s = 0; s + B <= nGallery; s += B) {
            int[] q = Arrays.copyOfRange(order, s, s + B), p = new int[B], n = new int[B];
            for (int i = 0; i < B; i++) {
                int[] sameClass = byClass[galleryLabels[q[i]]];
                p[i] = sameClass[r.nextInt(sameClass.length)];
                do n[i] = r.nextInt(nGallery); while (galleryLabels[n[i]] == galleryLabels[q[i]]);
            }
            var loss = objective.loss(net, rows(q), rows(p), rows(n));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            sum += loss.item();
            batches++;
        }
        System.out.printf(Locale.ROOT, "%-20s epoch %d: loss %.4f%n", name, e, sum / batches);
    }
    double acc = retrieval(net.forward(queries), net.forward(gallery));
    System.out.printf(Locale.ROOT, "%-20s retrieval %.1f%% (chance 10.0%%)%n", name, 100 * acc);
    return acc;
}
double contrastiveAccuracy = train("contrastive:", net(1), contrastivePairs);
// expect falling after "loss"
// expect > 50 after "retrieval"
var tripletNet = net(1);
double tripletAccuracy = train("triplet (squared):", tripletNet, tripletSquared);
// expect falling after "loss"
// expect > 50 after "retrieval"

// The embedding drawn: every query at its two numbers f(x), one colour per class.
float[] embedded;
try (var off = GradMode.off()) { embedded = tripletNet.forward(queries).toArray(); }
var scatter = Plot.of("the queries embedded by the triplet-trained f", "f(x)[0]", "f(x)[1]", 600, 420);
for (int k = 0; k < 10; k++) {
    List<Integer> ofClass = new ArrayList<>();
    for (int i = 0; i < nQueries; i++) if (queryLabels[i] == k) ofClass.add(i);
    double[] ex = new double[ofClass.size()], ey = new double[ofClass.size()];
    for (int j = 0; j < ex.length; j++) {
        ex[j] = embedded[2 * ofClass.get(j)];
        ey[j] = embedded[2 * ofClass.get(j) + 1];
    }
    if (ex.length > 0) scatter.points(FashionMnist.CLASSES[k], ex, ey);
}
display(scatter.save(Display.file("09-embedding.png")));
// expect: figure: .*09-embedding\.png
// Two numbers per image retrieve the right kind of clothing far above chance and above the
// untrained net; raw pixels, 784 numbers per image, still do better at this size.

// Try it: give the embedding 16 numbers instead of 2 and compare with raw pixels (784 numbers);
// or train with new TripletMarginLoss() (PyTorch's, distances not squared) and compare.
