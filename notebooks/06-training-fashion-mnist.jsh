// ==========================================================================================
// Notebook 6 — Training on Fashion-MNIST with the Trainer
//
// Open it with   notebooks/open.sh 06-training-fashion-mnist
// 28×28 grey images of 10 kinds of clothing. We train an MLP with minibatch SGD, watch the
// validation accuracy per epoch, read the confusion matrix, and save the weights.
//
// Where the data comes from, in order: the installed dataset (Debian package
// dataset-fashion-mnist, the FASHION_MNIST environment variable, ~/.cache/jgrad/fashion-mnist);
// else the 10,000 test images shipped with the examples, when they are on the class path;
// else a synthetic stand-in (striped images), so the notebook always runs.
// ==========================================================================================

import java.io.*;
import java.nio.file.*;
import java.util.*;
import org.jgrad.core.*;
import org.jgrad.data.*;
import org.jgrad.io.*;
import org.jgrad.nn.*;
import org.jgrad.nn.Module;     // (java.lang.Module has the same simple name)
import org.jgrad.optim.*;
import org.jgrad.train.*;
import org.jgrad.examples.plot.*;
// display(...) shows a figure inline in Jupyter; in JShell it prints the path of the PNG file
import static org.jgrad.examples.plot.Display.display;

// Small mode (-Djgrad.small=true): a few thousand images and one epoch, a few seconds.
boolean SMALL = Boolean.getBoolean("jgrad.small");

// ------------------------------------------------------------------------------------------
// 1. The data: train / validation / test splits, and where they came from.
// ------------------------------------------------------------------------------------------
record Data(Dataset train, Dataset validation, Dataset test, String source, String[] classes) {}

// The synthetic stand-in: class k is a bright horizontal stripe at rows 2k+4 and 2k+5, plus noise.
TensorDataset stripes(int n, long seed) {
    var r = new SplittableRandom(seed);
    float[] x = new float[n * 784], y = new float[n];
    for (int i = 0; i < n; i++) {
        int k = r.nextInt(10);
        y[i] = k;
        for (int p = 0; p < 784; p++) {
            int row = p / 28;
            x[i * 784 + p] = (float) Math.min(1, Math.max(0, (row == 2 * k + 4 || row == 2 * k + 5 ? 0.8 : 0.1) + 0.2 * r.nextGaussian()));
        }
    }
    return new TensorDataset(Tensor.of(x, n, 1, 28, 28), Tensor.of(y, n));
}

Data loadData() throws IOException {
    var installed = FashionMnist.locate(null);
    if (installed.isPresent()) {
        var s = FashionMnist.load(installed.get());
        var parts = Splits.randomSplit(s.train(), 42, s.train().size() - 5000, 5000);
        return new Data(parts[0], parts[1], s.test(), "Fashion-MNIST installed at " + installed.get(), FashionMnist.CLASSES);
    }
    var images = FashionMnist.class.getResourceAsStream("/fashion-mnist/t10k-images-idx3-ubyte.gz");
    var labels = FashionMnist.class.getResourceAsStream("/fashion-mnist/t10k-labels-idx1-ubyte.gz");
    if (images != null && labels != null) {
        try (images; labels) {
            var all = FashionMnist.fromStreams(images, labels, "embedded Fashion-MNIST test split");
            var parts = Splits.randomSplit(all, 42, 7000, 1500, 1500);
            return new Data(parts[0], parts[1], parts[2], "the 10,000 Fashion-MNIST images shipped with nn-examples",
                    FashionMnist.CLASSES);
        }
    }
    System.out.println("No Fashion-MNIST found (searched " + FashionMnist.candidates(null) + "); using synthetic stripes.");
    String[] rows = new String[10];
    for (int k = 0; k < 10; k++) rows[k] = "stripe at row " + (2 * k + 4);
    return new Data(stripes(4000, 1), stripes(1000, 2), stripes(1000, 3), "synthetic stripes (a stand-in)", rows);
}

long t0 = System.nanoTime();
var data = loadData();
String[] CLASSES = data.classes();
System.out.printf(Locale.ROOT, "data: %s%n  %d train, %d validation, %d test images, loaded in %.1fs%n", data.source(),
        data.train().size(), data.validation().size(), data.test().size(), (System.nanoTime() - t0) / 1e9);
// expect: \d+ train, \d+ validation, \d+ test images

// In small mode keep only the first images of each split (a Subset: a view by indices).
Dataset first(Dataset ds, int n) {
    int[] idx = new int[Math.min(n, ds.size())];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    return new Subset(ds, idx);
}
var train = SMALL ? first(data.train(), 3000) : data.train();
var validation = SMALL ? first(data.validation(), 1000) : data.validation();
var test = SMALL ? first(data.test(), 1000) : data.test();
int epochs = SMALL ? 1 : 3;
System.out.println("training on " + train.size() + " images for " + epochs + " epoch(s)");

// One image as text, darkest to brightest: " .:-=+*#%@". Labels are class indices.
void show(Tensor img28) {
    String shades = " .:-=+*#%@";
    float[] v = img28.toArray();
    for (int r = 0; r < 28; r += 2) {   // every other row: characters are taller than wide
        StringBuilder sb = new StringBuilder("  ");
        for (int c = 0; c < 28; c++) sb.append(shades.charAt(Math.min(9, (int) (v[r * 28 + c] * 10))));
        System.out.println(sb);
    }
}
var sample = test.batch(new int[] {0});
System.out.println("test image 0, class " + (int) sample.labels().item() + " = " + CLASSES[(int) sample.labels().item()]);
show(sample.features());

// ------------------------------------------------------------------------------------------
// 2. The model and the Trainer.
//    The Trainer cuts each minibatch into shards (of 128 images unless set), runs them in
//    parallel, adds their gradients in a fixed order and steps the optimizer once: the result
//    is the same for any number of threads.
// ------------------------------------------------------------------------------------------
var rng = new SplittableRandom(42);
var model = new Sequential(new Flatten(), new Linear(784, 256, rng), new ReLU(), new Linear(256, 10, rng));
System.out.print(model.summary(1, 1, 28, 28));
// expect: 1: Linear\(784→256\) +\[1, 256\] +200960
// expect = 203530 after "Total parameters:"

var sgd = new SGD(model.parameters(), 0.1f).momentum(0.9f);
var trainer = new Trainer(model, new CrossEntropyLoss(), sgd);
trainer.scheduler(new CosineAnnealingLR(sgd, epochs, 0f));   // the learning rate decays to 0 over the run
trainer.progress(Progress.Mode.LINES);                       // a progress line every 10 s on long epochs

// Before training: about 10% — a guess.
System.out.printf(Locale.ROOT, "untrained test accuracy %.3f%n", trainer.evaluate(test).accuracy());
// expect < 0.3 after "untrained test accuracy"

// fit prints one line per epoch: train loss and accuracy, validation loss and accuracy.
var history = trainer.fit(new DataLoader(train, 64, true, 42), validation, epochs);
// expect > 0.4 after " acc "
// expect < 1.2 after "val loss"

// ------------------------------------------------------------------------------------------
// 3. Test accuracy and the confusion matrix (rows: true class, columns: predicted class).
// ------------------------------------------------------------------------------------------
var result = trainer.evaluate(test);
System.out.printf(Locale.ROOT, "test loss %.4f, test accuracy %.4f%n", result.loss(), result.accuracy());
// expect > 0.6 after "test accuracy"
// expect < 1.2 after "test loss"
for (int k = 0; k < 10; k++) System.out.print(k + "=" + CLASSES[k] + (k < 9 ? ", " : "\n"));
System.out.println(result.confusion().toTable());
// The same matrix as a picture: columns by class number (the names do not fit), rows by both.
long[][] counts = new long[10][10];
String[] numbers = new String[10], rowNames = new String[10];
for (int a = 0; a < 10; a++) {
    for (int p = 0; p < 10; p++) counts[a][p] = result.confusion().count(a, p);
    numbers[a] = Integer.toString(a);
    rowNames[a] = a + " " + CLASSES[a];
}
display(Images.matrix(Display.file("06-confusion.png"), "test set: true class (rows) against predicted (columns)", counts,
        rowNames, numbers, "true", "predicted"));
// expect: figure: .*06-confusion\.png

// The pair of classes confused most often (off the diagonal):
var cm = result.confusion();
int worstTrue = 0, worstPred = 1;
for (int a = 0; a < 10; a++) {
    for (int p = 0; p < 10; p++) {
        if (a != p && cm.count(a, p) > cm.count(worstTrue, worstPred)) { worstTrue = a; worstPred = p; }
    }
}
System.out.printf(Locale.ROOT, "most confused: %d %s taken for %s (recall of %s: %.3f)%n", cm.count(worstTrue, worstPred),
        CLASSES[worstTrue], CLASSES[worstPred], CLASSES[worstTrue], cm.recall(worstTrue));

// ------------------------------------------------------------------------------------------
// 4. Saving and loading. ModelFiles writes the state dict as safetensors (atomically), the
//    format PyTorch reads with safetensors.torch.load_file — the names are PyTorch's.
// ------------------------------------------------------------------------------------------
var file = Files.createTempDirectory("jgrad-notebook").resolve("fashion-mlp.safetensors");
file.getParent().toFile().deleteOnExit();   // removed when JShell exits (file first, then folder)
ModelFiles.save(model, file);
file.toFile().deleteOnExit();
System.out.println("saved " + model.namedParameters().keySet() + " to " + file + " (" + Files.size(file) + " bytes)");
// expect: saved \[1\.weight, 1\.bias, 3\.weight, 3\.bias\] to .* \(814448 bytes\)

var copy = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
ModelFiles.load(copy, file);
var again = new Trainer(copy, new CrossEntropyLoss(), new SGD(copy.parameters(), 0.1f)).evaluate(test);
System.out.printf(Locale.ROOT, "reloaded model: test accuracy %.4f (same: %b)%n", again.accuracy(),
        again.accuracy() == result.accuracy());
// expect: \(same: true\)

// Try it: put Dropout(0.2) after the ReLU, or use the CNN of notebook 5 (it is slower: try it
// with SMALL sizes first), or Adam(model.parameters(), 1e-3f) instead of SGD.
