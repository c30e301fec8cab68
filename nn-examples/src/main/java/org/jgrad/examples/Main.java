package org.jgrad.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command-line entry point: {@code jgrad <example> [--option value ...]}. Every example of the
 * course runs from here; the ones that draw write PNG files to {@code --out DIR} (default
 * {@code jgrad-out/<example>}) and print their paths.
 */
public final class Main {

    /** One runnable example: its name on the command line, a line of help, and how to run it. */
    record Example(String name, String help, Runner runner) {}

    interface Runner {
        void run(String[] args, PrintStream out) throws Exception;
    }

    static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

    private static void add(String name, String help, Runner runner) {
        EXAMPLES.put(name, new Example(name, help, runner));
    }

    static {
        add("train", "the main job: " + TrainExample.Options.usage().substring("train ".length()),
                (a, out) -> TrainExample.run(TrainExample.Options.parse(a), out));
        add("autodiff", "the course's two autodiff examples: forward trace, reverse and forward mode",
                (a, out) -> AutodiffExample.run(out));
        add("shallow", "1-D shallow ReLU networks: 3 joints by hand, fits with 3, 10, 50 hidden units [--out DIR --epochs N --points N --starts N --lr X --seed S]",
                ShallowNetExample::main);
        add("regions", "2-input shallow ReLU net: linear regions per activation pattern, shared joints of 2 outputs, 1 + D + C(D,2) regions, region counts of big networks [--out DIR --hidden D --seed S]",
                RegionsExample::main);
        add("representation", "a layer's weight as rotation, stretch, rotation (SVD by Jacobi, Θ = U·S·Vᵀ) and what ReLU and tanh then do to a grid of points [--out DIR --epochs N --lines N --seed S]",
                RepresentationExample::main);
        add("spiral", "linear softmax classifier vs a 2-layer ReLU network on the 3-arm spiral [--out DIR --epochs N --hidden N --per-class N --noise X --lr X --seed S]",
                SpiralExample::main);
        add("activations", "every activation and its derivative (by autograd) [--out DIR --points N]", ActivationsExample::main);
        add("pathologies", "activation pathologies: vanishing gradients per layer (sigmoid/tanh/ReLU, default vs Xavier/He init, BatchNorm, residual), dead ReLUs after a too-large learning rate, a deep linear net is one matrix, zig-zag steps with positive inputs [--out DIR --seed S --depth N]",
                PathologiesExample::main);
        add("filters", "identity, edge, sharpen, blur and emboss filters on an image [--out DIR --index I | --image FILE --max-side N]",
                FiltersExample::main);
        add("convgeometry", "convolution geometry: output sizes (W − F + 2P)/S + 1 by conv1d, a stride that does not tile, AlexNet's first layer, parameter counts, conv1d as a banded matrix [--out DIR]",
                ConvGeometryExample::main);
        add("depth", "shallow vs deep: 1-4 hidden layers of ~15,000 parameters on MNIST-1D with random labels [--out DIR --epochs N --samples N --lr X --seed S]",
                DepthExample::main);
        add("regularization", "overfitting a wide network on few points; L2 and dropout [--out DIR --epochs N --width N --points N --lambda X --dropout P --seed S]",
                RegularizationExample::main);
        add("sgd", "SGD's thought experiments: 10 copies of 100 samples (same gradient, a minibatch step at 1/10 the cost), minibatch variance ∝ 1/B, Robbins–Monro steps vs a constant step's noise floor [--out DIR --draws N --steps N --chains N --lr X --tau X --noise X --seed S]",
                SgdExample::main);
        add("features", "feature visualisation: gradient ascent on the input of a trained CNN [--out DIR --weights FILE | --epochs N --limit N; --steps N --lr X --blur-every N --seed S]",
                FeatureVisExample::main);
        add("deepdream", "DeepDream: gradient ascent on an image for units of a hidden layer of a trained CNN, with jitter, octaves and a smoothness penalty; the test items each unit likes most [--out DIR --layer K --units A,B,.. --item I | --image FILE; --steps N --lr X --tv X --octaves N --jitter P --epochs N --limit N --seed S]",
                DeepDreamExample::main);
        add("autoencoder", "an MLP autoencoder on Fashion-MNIST: reconstructions and a 2-D latent map [--out DIR --epochs N --limit N --lr X --seed S]",
                AutoencoderExample::main);
        add("vae", "a variational autoencoder on Fashion-MNIST: reconstructions, prior samples, latent map, interpolation [--out DIR --epochs N --limit N --latent L --lr X --seed S]",
                VaeExample::main);
        add("gan", "a GAN on Fashion-MNIST, MLP generator and discriminator: samples per epoch, loss curves, latent arithmetic [--out DIR --epochs N --limit N --latent L --lr X --seed S]",
                GanExample::main);
        add("hopfield", "a Hopfield network: binarised items recalled from corrupted copies, energy per sweep, capacity vs 0.14 N [--out DIR --patterns K --flip F --neurons N --trials T --seed S]",
                HopfieldExample::main);
        add("rbm", "a restricted Boltzmann machine on binarised Fashion-MNIST by contrastive divergence: filters, Gibbs samples [--out DIR --epochs N --limit N --hidden H --k K --lr X --seed S]",
                RbmExample::main);
        add("siamese", "twin networks with shared weights: contrastive and triplet losses (squared and PyTorch's), 2-D embedding, retrieval [--out DIR --epochs N --limit N --queries N --dim D --lr X --seed S]",
                SiameseExample::main);
        add("hello", "one-layer RNN learns \"hello\" [--epochs N --seed S --hidden H]", HelloRnn::main);
        add("names", "character-level LSTM invents first names [--epochs N --seed S --samples K --temperature T]",
                NameGenerator::main);
        add("gpt", "a character-level decoder-only transformer (tiny GPT) invents first names; loss curve beside the names LSTM's [--out DIR --epochs N --seed S --samples K --temperature T --top-k K --d-model D --layers L --heads H --lr X --compare 0|1]; "
                        + "--corpus shakespeare: the same on 300 KB of Shakespeare beside a char-LSTM of the same size, training and validation losses, samples with temperature and top-k [--out DIR --steps N --eval-every N --context T --batch B --d-model D --layers L --heads H --lr X --lstm-lr X --length N --temperature T --top-k K --seed S --positions learned|sinusoidal]",
                GptExample::main);
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "train" : args[0];
        String[] rest = args.length == 0 ? new String[0] : Arrays.copyOfRange(args, 1, args.length);
        if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
            usage(System.out);
            return;
        }
        Example ex = EXAMPLES.get(name);
        if (ex == null) {
            System.err.println("jgrad: unknown example '" + name + "'");
            usage(System.err);
            System.exit(2);
        }
        try {
            ex.runner().run(rest, System.out);
        } catch (IllegalArgumentException e) {
            // a bad option: the message names the example and the option; no stack trace for a typo
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (TrainExample.WeightsNotSaved e) {
            // the run worked but --out could not be written: the message says where the weights went instead
            System.err.println(e.getMessage());
            System.exit(1);
        } catch (java.io.IOException e) {
            // a missing, unreadable or malformed input file: the message names it; no stack trace
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    static void usage(PrintStream out) {
        out.println("usage: jgrad <example> [options]");
        for (Example e : EXAMPLES.values()) out.printf("  %-15s %s%n", e.name(), e.help());
    }
}
