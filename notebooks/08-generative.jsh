// ==========================================================================================
// Notebook 8 — Generative models: a variational autoencoder (clothes from a 2-number code), then a GAN
//
// Open it with   notebooks/open.sh 08-generative
// The encoder gives each image x a Gaussian q(z|x) = N(μ, σ²) over a code z of L = 2 numbers;
// the decoder turns a code into pixel probabilities. Training minimises the negative ELBO
//     −ELBO = reconstruction  Σ_pixels BCE(decoder(z), x)
//           + KL              ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²)  = KL(N(μ, σ²) ‖ N(0, I))
// with z = μ + σ·ε, ε ~ N(0, I) (the reparameterisation trick: the gradient reaches μ and σ).
// Because KL pulls every q(z|x) towards N(0, I), codes drawn from N(0, I) decode to new clothes.
// The full run, with pictures: ./jgrad vae.
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

// Small mode (-Djgrad.small=true): 2,000 training images and 3 epochs, a few seconds.
boolean SMALL = Boolean.getBoolean("jgrad.small");

// show(what, value) prints "what = value".
void show(String what, Object value) {
    System.out.println(what + " = " + value);
}

// ------------------------------------------------------------------------------------------
// 1. The data: images as rows of 784 grey levels in [0, 1], used as Bernoulli targets.
// ------------------------------------------------------------------------------------------
var images = TrainExample.embedded();           // 10,000 Fashion-MNIST images [n, 1, 28, 28]
float[] pixels = images.features().data();
int nTrain = SMALL ? 2000 : 8000, nTest = 1000;
var trainX = Tensor.of(Arrays.copyOf(pixels, nTrain * 784), nTrain, 784);
var testX = Tensor.of(Arrays.copyOfRange(pixels, (10000 - nTest) * 784, 10000 * 784), nTest, 784);
var train = new TensorDataset(trainX, Tensor.zeros(nTrain));   // the labels are not used
show("train, test", Arrays.toString(trainX.shape()) + ", " + Arrays.toString(testX.shape()));
// expect: train, test = \[(2000|8000), 784\], \[1000, 784\]

// ------------------------------------------------------------------------------------------
// 2. The model: encoder 784 → 256 → 2L (μ and log σ² side by side), decoder L → 256 → 784.
// ------------------------------------------------------------------------------------------
int L = 2;
var rng = new SplittableRandom(1);
var encoder = new Sequential(new Linear(784, 256, rng), new ReLU(), new Linear(256, 2 * L, rng));
var decoder = new Sequential(new Linear(L, 256, rng), new ReLU(), new Linear(256, 784, rng));
var bce = new BCEWithLogitsLoss(Reduction.BATCH_MEAN);    // summed over the pixels, mean over the images

// The two terms of −ELBO per image, as 0-d tensors; eps draws ε.
Tensor[] elboTerms(Tensor x, SplittableRandom eps) {
    var h = encoder.forward(x);
    var mu = h.narrow(1, 0, L);
    var logVar = h.narrow(1, L, L);
    var z = mu.add(logVar.mul(0.5f).exp().mul(Tensor.randn(eps, x.size(0), L)));   // z = μ + σ·ε
    var reconstruction = bce.forward(decoder.forward(z), x);
    var kl = mu.mul(mu).add(logVar.exp()).sub(1).sub(logVar).sum().mul(0.5f / x.size(0));
    return new Tensor[] {reconstruction, kl};
}
// The test terms, with the same ε every time so that epochs compare.
double[] testTerms() {
    try (var off = GradMode.off()) {
        var t = elboTerms(testX, new SplittableRandom(3));
        return new double[] {t[0].item(), t[1].item()};
    }
}
double[] before = testTerms();
System.out.printf(Locale.ROOT, "untrained: test −ELBO %.1f = reconstruction %.1f + KL %.2f%n", before[0] + before[1], before[0], before[1]);
// expect ~ 543 ± 15 after "untrained: test −ELBO"
// expect < 0.5 after "KL"
// 784 · log 2 ≈ 543 nats is what a decoder that says "½" for every pixel would cost.

// ------------------------------------------------------------------------------------------
// 3. Training: Adam on reconstruction + KL. Printed per epoch: both terms and their sum on
//    the training batches, and on the test images.
// ------------------------------------------------------------------------------------------
var params = new ArrayList<Tensor>(encoder.parameters());
params.addAll(decoder.parameters());
var adam = new Adam(params, 2e-3f);
var loader = new DataLoader(train, 128, true, 1);
var noise = new SplittableRandom(2);
int epochs = SMALL ? 3 : 10;
double[] testElbo = new double[epochs];
for (int e = 0; e < epochs; e++) {
    double rec = 0, kl = 0;
    for (Batch batch : loader.epoch(e)) {
        var terms = elboTerms(batch.features(), noise);
        adam.zeroGrad();
        terms[0].add(terms[1]).backward();
        adam.step();
        rec += terms[0].item() * batch.size();
        kl += terms[1].item() * batch.size();
    }
    double[] t = testTerms();
    testElbo[e] = t[0] + t[1];
    System.out.printf(Locale.ROOT, "epoch %d: train %.1f + %.2f = %.1f   test −ELBO %.1f = reconstruction %.1f + KL %.2f%n", e + 1,
            rec / nTrain, kl / nTrain, (rec + kl) / nTrain, testElbo[e], t[0], t[1]);
}
// expect falling after "test −ELBO"
// expect < 400 after "test −ELBO"
// expect > 1 after "+ KL"
// The reconstruction term falls; KL rises from 0: the code starts to carry information, and
// KL is its price in nats.

// ------------------------------------------------------------------------------------------
// 4. Generating: draw z ~ N(0, I), decode. And the latent space is smooth: walking in a
//    straight line from one image's code to another's morphs one piece of clothing into the other.
// ------------------------------------------------------------------------------------------
// One image as text, darkest to brightest: " .:-=+*#%@", every other row.
void showImages(float[] v, int count) {
    String shades = " .:-=+*#%@";
    for (int r = 0; r < 28; r += 2) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < count; k++) {
            sb.append("  ");
            for (int c = 0; c < 28; c++) sb.append(shades.charAt(Math.min(9, (int) (v[k * 784 + r * 28 + c] * 10))));
        }
        System.out.println(sb);
    }
}
// The same images as pictures: pictures(v, count) cuts v into 28 × 28 images for Images.grid.
List<float[]> pictures(float[] v, int count) {
    List<float[]> list = new ArrayList<>();
    for (int k = 0; k < count; k++) list.add(Arrays.copyOfRange(v, k * 784, (k + 1) * 784));
    return list;
}
List<float[]> vaeImages = new ArrayList<>();
try (var off = GradMode.off()) {
    System.out.println("4 samples from the prior N(0, I):");
    float[] prior = decoder.forward(Tensor.randn(new SplittableRandom(4), 4, L)).sigmoid().toArray();
    showImages(prior, 4);
    vaeImages.addAll(pictures(prior, 4));

    var mu = encoder.forward(testX.narrow(0, 0, 2)).narrow(1, 0, L).toArray();   // the codes of test images 0 and 1
    float[] path = new float[5 * L];
    for (int k = 0; k < 5; k++) for (int j = 0; j < L; j++) path[k * L + j] = mu[j] + (mu[L + j] - mu[j]) * k / 4f;
    System.out.printf(Locale.ROOT, "from test image 0 (code %.2f, %.2f) to test image 1 (code %.2f, %.2f):%n", mu[0], mu[1], mu[2], mu[3]);
    float[] walk = decoder.forward(Tensor.of(path, 5, L)).sigmoid().toArray();
    showImages(walk, 5);
    vaeImages.addAll(pictures(walk, 5));
}
display(Images.grid(Display.file("08-vae.png"), "VAE: 4 samples from N(0, I), then test image 0's code to image 1's",
        vaeImages, 28, 28, 9, 2, null));
// expect: figure: .*08-vae\.png

// Try it: set L = 10: the reconstructions sharpen (the test reconstruction term falls) while KL
// grows; or multiply the KL term by 4 (a β-VAE) and watch the samples blur.

// ------------------------------------------------------------------------------------------
// 5. A GAN on the same images: no encoder, no likelihood. A generator G turns noise z into an
//    image; a discriminator D scores real against generated. Per batch, two steps:
//      D:  minimise BCE(D(x), 1) + BCE(D(G(z)), 0)      (tell them apart)
//      G:  minimise BCE(D(G(z)), 1)                      (fool D; the non-saturating loss)
//    At the equilibrium D cannot tell: its accuracy on generated images falls towards 0.5.
//    The full run, with sample grids, loss curves and latent arithmetic: ./jgrad gan.
// ------------------------------------------------------------------------------------------
int Z = 32;
var grng = new SplittableRandom(7);
var G = new Sequential(new Linear(Z, 256, grng), new LeakyReLU(0.2f), new Linear(256, 784, grng), new Tanh());
var D = new Sequential(new Linear(784, 256, grng), new LeakyReLU(0.2f), new Linear(256, 1, grng));
var gOpt = new Adam(G.parameters(), 1e-3f).betas(0.5f, 0.999f);
var dOpt = new Adam(D.parameters(), 1e-3f).betas(0.5f, 0.999f);
var bce = new BCEWithLogitsLoss();
var real01 = new TensorDataset(trainX.mul(2f).sub(1f), Tensor.zeros(nTrain));   // pixels in [−1, 1], like tanh
var zs = new SplittableRandom(8);
// D's accuracy on generated images: the share it scores below 0 (it says "generated")
double fooled(Tensor onFake) {
    int right = 0;
    for (float v : onFake.data()) if (v < 0) right++;
    return right / (double) onFake.size(0);
}
int ganEpochs = SMALL ? 3 : 6;
for (int e = 0; e < ganEpochs; e++) {
    double dSum = 0, gSum = 0, acc = 0;
    int batches = 0;
    for (var b : new DataLoader(real01, 64, true, 9).epoch(e)) {
        int n = b.size();
        var fake = G.forward(Tensor.randn(zs, n, Z));
        dOpt.zeroGrad();
        var onFake = D.forward(fake.detach());
        var dLoss = bce.forward(D.forward(b.features()), Tensor.ones(n, 1)).add(bce.forward(onFake, Tensor.zeros(n, 1)));
        dLoss.backward();
        dOpt.step();
        gOpt.zeroGrad();
        var gLoss = bce.forward(D.forward(fake), Tensor.ones(n, 1));
        gLoss.backward();
        gOpt.step();
        dSum += dLoss.item(); gSum += gLoss.item(); acc += fooled(onFake); batches++;
    }
    System.out.printf(Locale.ROOT, "GAN epoch %d: D loss %.3f, G loss %.3f, D accuracy on generated %.3f%n",
            e + 1, dSum / batches, gSum / batches, acc / batches);
}
// expect < 1.386 after "D loss"
try (var off = GradMode.off()) {
    System.out.println("4 GAN samples:");
    float[] ganSamples = G.forward(Tensor.randn(new SplittableRandom(10), 4, Z)).add(1f).mul(0.5f).toArray();
    showImages(ganSamples, 4);
    display(Images.grid(Display.file("08-gan.png"), "4 GAN samples", pictures(ganSamples, 4), 28, 28, 4, 3, null));
}
// expect: figure: .*08-gan\.png
// Try it: train D five times per G step, or give G less capacity, and watch who wins.
