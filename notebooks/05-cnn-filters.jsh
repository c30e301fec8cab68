// ==========================================================================================
// Notebook 5 — Convolutions: classic filters, pooling, and a small CNN
//
// Open it with   notebooks/open.sh 05-cnn-filters
// A convolution slides a small kernel over the image and takes, at every position, the dot
// product of the kernel with the patch under it. Hand-made kernels detect edges or blur;
// a CNN learns its kernels from data.
// ==========================================================================================

import java.util.*;
import org.jgrad.core.*;
import org.jgrad.nn.*;
import org.jgrad.examples.FiltersExample;
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

boolean SMALL = Boolean.getBoolean("jgrad.small");

// print(title, t) prints a [H, W] map (or a [1, 1, H, W] tensor) as a table of numbers.
void print(String title, Tensor t) {
    int h = t.size(-2), w = t.size(-1);
    float[] v = t.toArray();
    System.out.println(title + "  " + Arrays.toString(t.shape()));
    for (int r = 0; r < h; r++) {
        StringBuilder sb = new StringBuilder("  ");
        for (int c = 0; c < w; c++) sb.append(String.format(Locale.ROOT, "%5.1f", v[r * w + c] + 0f)); // + 0f: no "-0.0"
        System.out.println(sb);
    }
}

// ------------------------------------------------------------------------------------------
// 1. A 10×10 test image: a bright 4×4 square on a dark background, plus a single bright
//    pixel (noise). Images are [batch, channels, height, width]: here [1, 1, 10, 10].
// ------------------------------------------------------------------------------------------
float[] pixels = new float[100];
for (int r = 3; r < 7; r++) for (int c = 2; c < 6; c++) pixels[r * 10 + c] = 1;
pixels[1 * 10 + 8] = 1;
var image = Tensor.of(pixels, 1, 1, 10, 10);
print("image", image);
// expect: image  \[1, 1, 10, 10\]

// ------------------------------------------------------------------------------------------
// 2. Classic 3×3 kernels, loaded into one Conv2d with 4 output channels.
//    Conv2d(in, out, kernel, stride, padding): padding 1 keeps the size 10×10.
//    Its weight has shape [out, in, 3, 3]; we overwrite it and zero the bias.
// ------------------------------------------------------------------------------------------
float[][] kernels = {
    {-1, 0, 1, -2, 0, 2, -1, 0, 1},                 // Sobel x: responds to vertical edges
    {-1, -2, -1, 0, 0, 0, 1, 2, 1},                 // Sobel y: responds to horizontal edges
    {0, 1, 0, 1, -4, 1, 0, 1, 0},                   // Laplacian: responds to any change, and to spots
    {1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f, 1 / 9f},  // box blur
};
String[] names = {"Sobel x", "Sobel y", "Laplacian", "box blur 3×3"};
var conv = new Conv2d(1, 4, 3, 1, 1);
System.out.println("weight " + Arrays.toString(conv.weight().shape()) + ", bias " + Arrays.toString(conv.bias().shape()));
// expect: weight \[4, 1, 3, 3\], bias \[4\]
for (int k = 0; k < 4; k++) System.arraycopy(kernels[k], 0, conv.weight().data(), 9 * k, 9);
Arrays.fill(conv.bias().data(), 0f);

Tensor maps;
try (var off = GradMode.off()) { maps = conv.forward(image); }
for (int k = 0; k < 4; k++) print(names[k], maps.narrow(1, k, 1));
// expect: Sobel x  \[1, 1, 10, 10\]\n(.*\n){4}    0\.0  4\.0  4\.0  0\.0  0\.0 -4\.0 -4\.0  0\.0  0\.0  0\.0\n
// expect: Sobel y  \[1, 1, 10, 10\]\n(.*\n){2}    0\.0  1\.0  3\.0  4\.0  4\.0  3\.0  1\.0 -1\.0 -2\.0 -1\.0\n
// expect: Laplacian  \[1, 1, 10, 10\]\n(.*\n){1}    0\.0  0\.0  0\.0  0\.0  0\.0  0\.0  0\.0  1\.0 -4\.0  1\.0\n
// expect: box blur 3×3  \[1, 1, 10, 10\]\n(.*\n){4}    0\.0  0\.3  0\.7  1\.0  1\.0  0\.7  0\.3  0\.0  0\.0  0\.0\n
// Sobel x is positive on the square's left edge (dark → bright going right) and negative on
// its right edge; it is zero inside the square and on the flat background. The blur spreads
// the lone pixel over its neighbours and softens the square's border.

// The same maps as pictures, each drawn from black (its lowest value) to white (its highest).
List<float[]> pictures = new ArrayList<>(List.of(pixels));
List<String> captions = new ArrayList<>(List.of("image"));
for (int k = 0; k < 4; k++) {
    pictures.add(maps.narrow(1, k, 1).toArray());
    captions.add(names[k]);
}
display(Images.grid(Display.file("05-maps.png"), "the test image and its four maps", pictures, 10, 10, 5, 14, captions));
// expect: figure: .*05-maps\.png

// ------------------------------------------------------------------------------------------
// 3. The output size: ⌊(H + 2·padding − kernel) / stride⌋ + 1.
//    The same kernels with stride 2 and no padding: ⌊(10 − 3) / 2⌋ + 1 = 4.
//    The functional form Functional.conv2d takes the weight and bias directly.
// ------------------------------------------------------------------------------------------
var strided = Functional.conv2d(image, conv.weight().detach(), null, 2, 0);
System.out.println("stride 2, padding 0: " + Arrays.toString(strided.shape()));
// expect: stride 2, padding 0: \[1, 4, 4, 4\]
print("Sobel x, stride 2", strided.narrow(1, 0, 1));
// expect:     0\.0  0\.0  0\.0  2\.0\n    3\.0  0\.0 -3\.0  0\.0\n    4\.0  0\.0 -4\.0  0\.0\n    1\.0  0\.0 -1\.0  0\.0\n

// Max pooling keeps the strongest response in each 2×2 window: a smaller map that still says
// where the edges are, and barely changes if the image moves by one pixel.
var pooled = new MaxPool2d(2).forward(maps.narrow(1, 0, 1).abs());
print("|Sobel x| after 2×2 max pooling", pooled);
// expect: \[1, 1, 5, 5\]\n    0\.0  0\.0  0\.0  2\.0  2\.0\n    3\.0  3\.0  3\.0  3\.0  1\.0\n    4\.0  4\.0  4\.0  4\.0  0\.0\n

// Convolution is translation-equivariant: shift the image, and the maps shift the same way.
float[] shifted = new float[100];
for (int r = 0; r < 10; r++) for (int c = 1; c < 10; c++) shifted[r * 10 + c] = pixels[r * 10 + c - 1];
try (var off = GradMode.off()) {
    var a = conv.forward(image).narrow(1, 0, 1).narrow(3, 2, 6);      // columns 2..7 of the original
    var b = conv.forward(Tensor.of(shifted, 1, 1, 10, 10)).narrow(1, 0, 1).narrow(3, 3, 6); // columns 3..8 shifted
    System.out.println("shifted maps equal: " + Arrays.equals(a.toArray(), b.toArray()));
}
// expect: shifted maps equal: true

// ------------------------------------------------------------------------------------------
// 4. The course's 3×3 filters on a real picture: a Fashion-MNIST item through one conv2d with
//    eight output channels (identity, three edge detectors, sharpen, box and Gaussian blur, emboss).
// ------------------------------------------------------------------------------------------
var filtered = FiltersExample.run(FiltersExample.fashionItem(0), Display.file("05-filters"), System.out);
// expect: filters: 28×28 image, Fashion-MNIST test item 0
// expect: output range \[ *0\.000, +1\.000\]
display(filtered.files().get(0));
// expect: figure: .*filters\.png
// The edge detectors answer where the brightness changes (the outline and the folds), the blurs
// soften it, sharpen exaggerates the changes, and emboss lights the picture from one side.

// ------------------------------------------------------------------------------------------
// 5. A small CNN for 28×28 grey images and 10 classes.
// ------------------------------------------------------------------------------------------
var rng = new SplittableRandom(1);
var cnn = new Sequential(
        new Conv2d(1, 8, 3, 1, 1, rng), new ReLU(), new MaxPool2d(2),    // [8, 14, 14]
        new Conv2d(8, 16, 3, 1, 1, rng), new ReLU(), new MaxPool2d(2),   // [16, 7, 7]
        new Flatten(), new Linear(16 * 7 * 7, 10, rng));
System.out.print(cnn.summary(1, 1, 28, 28));   // a table: layer, output shape, parameters
// expect: 3: Conv2d\(8→16, kernel=3×3, padding=\[1, 1\]\)  \[1, 16, 14, 14\]  1168
// expect: 7: Linear\(784→10\) +\[1, 10\] +7850
// expect = 9098 after "Total parameters:"

// Parameter counts by hand: a conv layer has out·(in·k·k) weights + out biases.
long byHand = (8 * 1 * 9 + 8) + (16 * 8 * 9 + 16) + (16 * 7 * 7 * 10 + 10);
System.out.println("by hand: " + byHand + ", library: " + cnn.numParameters());
// expect: by hand: 9098, library: 9098

// The same images through an MLP with one hidden layer of 128 units need far more weights:
var mlp = new Sequential(new Flatten(), new Linear(784, 128, rng), new ReLU(), new Linear(128, 10, rng));
System.out.println("MLP 784-128-10 parameters: " + mlp.numParameters());
// expect = 101770 after "parameters:"

// A forward and backward pass on a random batch of 4 images: logits [4, 10]. Untrained, the
// probabilities are all near 1/10.
var batch = Tensor.rand(rng, 4, 1, 28, 28);
var out = cnn.forward(batch);
System.out.println("logits " + Arrays.toString(out.shape()));
// expect: logits \[4, 10\]
System.out.println("probabilities of image 0: " + Arrays.toString(out.softmax(1).narrow(0, 0, 1).toArray()));
// expect: probabilities of image 0: \[(0\.(0[5-9]|1[0-5])\d*(, )?){10}\]
var loss = new CrossEntropyLoss().forward(out, Tensor.of(new float[] {0, 1, 2, 3}, 4));
loss.backward();
var firstConv = (Conv2d) cnn.get(0);
System.out.printf(Locale.ROOT, "loss %.4f (log 10 = %.4f); gradient of the first kernels %s%n", loss.item(), Math.log(10),
        Arrays.toString(firstConv.weight().grad().shape()));
// expect ~ 2.30 ± 0.15 after "loss"
// expect: gradient of the first kernels \[8, 1, 3, 3\]

// Try it: put a diagonal line in the image and design a kernel that finds only diagonals;
// or replace MaxPool2d with AvgPool2d in the CNN and compare the summaries.
