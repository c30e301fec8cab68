package org.jgrad.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

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
        add("train", "the main job, trains the reference MLP or CNN on Fashion-MNIST " + TrainExample.Options.usage().substring("train ".length()),
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

    /** The top-level command {@code jgrad}: only its help option; the work is in the subcommands. */
    @Command(name = "jgrad", synopsisSubcommandLabel = "<example>",
            description = "jgrad's command line: a course example or the main job (train, the default).",
            commandListHeading = "%nExamples:%n",
            footer = {"", "'jgrad <example> --help' shows an example's options; pictures go to --out DIR (default jgrad-out/<example>)."})
    static final class Top implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return Cli.USAGE;
        }
    }

    /**
     * A course example as a subcommand: its help comes from the registry, and its options still
     * reach the example's own {@link Args} (which refuses unknown ones), unparsed by picocli.
     */
    @Command(name = "example")
    static final class ExampleCommand implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Unmatched
        List<String> rest = new ArrayList<>();

        private final Example example;
        private final PrintStream out;

        ExampleCommand(Example example, PrintStream out) {
            this.example = example;
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            example.runner().run(rest.toArray(String[]::new), out);
            return 0;
        }
    }

    /** The one-line summary of an example: its help up to the list of options in brackets. */
    static String summary(String help) {
        int bracket = help.indexOf(" [");
        return bracket < 0 ? help : help.substring(0, bracket);
    }

    /**
     * The command line {@code jgrad <example> [options]}: one picocli subcommand per registered
     * example (train with typed options), {@code help}, and the exit codes of {@link #run}.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, EXAMPLES.values());
    }

    /** The command line with only the given examples as subcommands (and {@code help}). */
    private static CommandLine commandLine(PrintStream out, PrintStream err, java.util.Collection<Example> examples) {
        CommandLine top = Cli.configure(new CommandLine(new Top()));
        top.addSubcommand("help", Cli.configure(new CommandLine(new CommandLine.HelpCommand())));
        for (Example ex : examples) {
            CommandLine sub = ex.name().equals("train")
                    ? new CommandLine(new TrainCommand(out))
                    : new CommandLine(new ExampleCommand(ex, out));
            var usage = sub.getCommandSpec().name(ex.name()).usageMessage();
            if (!ex.name().equals("train")) {
                usage.customSynopsis("jgrad " + ex.name() + " [-h] [--option value ...]").description(ex.help());
            }
            // the command list of `jgrad --help` shows the header, one line per example; the example's own
            // help leaves it out (the description says it all)
            usage.header(summary(ex.help()));
            List<String> sections = new ArrayList<>(sub.getHelpSectionKeys());
            sections.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
            sections.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER);
            sub.setHelpSectionKeys(sections);
            top.addSubcommand(ex.name(), Cli.configure(sub));
        }
        top.getSubcommands().get("help").getCommandSpec().usageMessage().header("Show the examples, or 'help <example>' for one example's options.");
        Cli.configure(top);
        top.setOut(new PrintWriter(out, true));
        top.setErr(new PrintWriter(err, true));
        top.setParameterExceptionHandler((e, args) -> Cli.report(e, top.getErr()));
        top.setExecutionExceptionHandler((e, cl, parsed) -> failed(e, cl.getErr()));
        return top;
    }

    /**
     * The exit code of an example that threw: 2 for a bad option ({@link IllegalArgumentException},
     * its message names the example and the option; no stack trace for a typo), 1 for a file that
     * failed (an {@link java.io.IOException} naming it: a missing, unreadable or malformed input, or
     * {@link TrainExample.WeightsNotSaved}, saying where the weights went instead); anything else is rethrown.
     */
    private static int failed(Exception e, PrintWriter err) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
            err.println(e.getMessage());
            err.flush();
            return e instanceof IllegalArgumentException ? Cli.USAGE : 1;
        }
        throw e;
    }

    /**
     * Runs {@code jgrad args} (no arguments: {@code train}) and returns the exit code: 0 on success,
     * 2 for a bad command line or option, 1 when an input or output file failed.
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) args = new String[] {"train"};
        Example named = EXAMPLES.get(args[0]);
        if (named != null && !named.name().equals("train") && !List.of(args).contains("--help") && !List.of(args).contains("-h")) {
            // an example that parses its own options (Args): picocli would only pass them through, and its
            // first use costs about 0.2 s of start-up (class loading), so the example runs directly
            PrintWriter errWriter = new PrintWriter(err, true);
            try {
                named.runner().run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
                return 0;
            } catch (Exception e) {
                return failed(e, errWriter);
            }
        }
        // a known example (train, or --help): only its subcommand is built; help, typos and jgrad's own options get them all
        CommandLine cl = named != null ? commandLine(out, err, List.of(named)) : commandLine(out, err);
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return code;
    }

    /** {@code jgrad <example> [options]}; exits with 2 for a bad command line, 1 for a failed input or output file. */
    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        if (code != 0) System.exit(code);
    }
}
