package org.jgrad.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Command-line entry point: {@code jgrad <example> [options]}. Every example of the
 * course runs from here; the ones that draw write PNG files to {@code --out DIR} (default
 * {@code jgrad-out/<example>}) and print their paths.
 */
public final class Main {

    /**
     * One runnable example: its name on the command line, its one-line summary, and its options
     * ({@code null} for train, whose command is {@link TrainCommand}).
     */
    record Example(String name, String help, Supplier<? extends Cli.Job> options) {}

    static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

    /** Registers an example under the name of its options' {@code @Command} (the name its messages and {@code --out} use). */
    private static void add(Supplier<? extends Cli.Job> options, String help) {
        String name = options.get().getClass().getAnnotation(Command.class).name();
        EXAMPLES.put(name, new Example(name, help, options));
    }

    static {
        EXAMPLES.put("train", new Example("train", "the main job, trains the reference MLP or CNN on Fashion-MNIST", null));
        add(AutodiffExample.Options::new, "the course's two autodiff examples: forward trace, reverse and forward mode");
        add(ShallowNetExample.Options::new, "1-D shallow ReLU networks: 3 joints by hand, fits with 3, 10, 50 hidden units");
        add(RegionsExample.Options::new, "2-input shallow ReLU net: linear regions per activation pattern, shared joints of 2 outputs, 1 + D + C(D,2) regions, region counts of big networks");
        add(RepresentationExample.Options::new, "a layer's weight as rotation, stretch, rotation (SVD by Jacobi, Θ = U·S·Vᵀ) and what ReLU and tanh then do to a grid of points");
        add(SpiralExample.Options::new, "linear softmax classifier vs a 2-layer ReLU network on the 3-arm spiral");
        add(ActivationsExample.Options::new, "every activation and its derivative (by autograd)");
        add(PathologiesExample.Options::new, "activation pathologies: vanishing gradients per layer (sigmoid/tanh/ReLU, default vs Xavier/He init, BatchNorm, residual), dead ReLUs after a too-large learning rate, a deep linear net is one matrix, zig-zag steps with positive inputs");
        add(FiltersExample.Options::new, "identity, edge, sharpen, blur and emboss filters on an image");
        add(ConvGeometryExample.Options::new, "convolution geometry: output sizes (W − F + 2P)/S + 1 by conv1d, a stride that does not tile, AlexNet's first layer, parameter counts, conv1d as a banded matrix");
        add(DepthExample.Options::new, "shallow vs deep: 1-4 hidden layers of ~15,000 parameters on MNIST-1D with random labels");
        add(RegularizationExample.Options::new, "overfitting a wide network on few points; L2 and dropout");
        add(SgdExample.Options::new, "SGD's thought experiments: 10 copies of 100 samples (same gradient, a minibatch step at 1/10 the cost), minibatch variance ∝ 1/B, Robbins–Monro steps vs a constant step's noise floor");
        add(FeatureVisExample.Options::new, "feature visualisation: gradient ascent on the input of a trained CNN");
        add(DeepDreamExample.Options::new, "DeepDream: gradient ascent on an image for units of a hidden layer of a trained CNN, with jitter, octaves and a smoothness penalty; the test items each unit likes most");
        add(AutoencoderExample.Options::new, "an MLP autoencoder on Fashion-MNIST: reconstructions and a 2-D latent map");
        add(VaeExample.Options::new, "a variational autoencoder on Fashion-MNIST: reconstructions, prior samples, latent map, interpolation");
        add(GanExample.Options::new, "a GAN on Fashion-MNIST, MLP generator and discriminator: samples per epoch, loss curves, latent arithmetic");
        add(HopfieldExample.Options::new, "a Hopfield network: binarised items recalled from corrupted copies, energy per sweep, capacity vs 0.14 N");
        add(RbmExample.Options::new, "a restricted Boltzmann machine on binarised Fashion-MNIST by contrastive divergence: filters, Gibbs samples");
        add(SiameseExample.Options::new, "twin networks with shared weights: contrastive and triplet losses (squared and PyTorch's), 2-D embedding, retrieval");
        add(HelloRnn.Options::new, "one-layer RNN learns \"hello\"");
        add(NameGenerator.Options::new, "character-level LSTM invents first names");
        add(GptExample.Options::new, "a character-level decoder-only transformer (tiny GPT) invents first names; loss curve beside the names LSTM's; "
                        + "--corpus shakespeare: the same on 300 KB of Shakespeare beside a char-LSTM of the same size, training and validation losses, samples with temperature and top-k");
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
     * A course example as a subcommand: {@code -h} and running the example; its options are those of
     * its {@link Cli.Job}, added as a mixin by {@link #commandLine}.
     */
    @Command(name = "example", sortOptions = false, sortSynopsis = false)
    static final class ExampleCommand implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        private final Cli.Job job;
        private final PrintStream out;

        ExampleCommand(Cli.Job job, PrintStream out) {
            this.job = job;
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            job.run(out);
            return 0;
        }
    }

    /**
     * The command line {@code jgrad <example> [options]}: one picocli subcommand per registered
     * example, {@code help}, and the exit codes of {@link #run}.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, EXAMPLES.values());
    }

    /** The command line with only the given examples as subcommands (and {@code help}). */
    private static CommandLine commandLine(PrintStream out, PrintStream err, java.util.Collection<Example> examples) {
        CommandLine top = Cli.configure(new CommandLine(new Top()));
        top.addSubcommand("help", Cli.configure(new CommandLine(new CommandLine.HelpCommand())));
        for (Example ex : examples) {
            CommandLine sub;
            if (ex.options() == null) {
                sub = new CommandLine(new TrainCommand(out));
            } else {
                Cli.Job job = ex.options().get();
                CommandSpec spec = CommandSpec.forAnnotatedObject(new ExampleCommand(job, out));
                spec.addMixin("options", CommandSpec.forAnnotatedObject(job));
                spec.usageMessage().description(ex.help());
                sub = new CommandLine(spec);
            }
            var usage = sub.getCommandSpec().name(ex.name()).usageMessage();
            // the command list of `jgrad --help` shows the header, one line per example; the example's own
            // help leaves it out (the description says it all)
            usage.header(ex.help());
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
        // a known example: only its subcommand is built (building all 24 costs start-up time); help, typos and
        // jgrad's own options get them all
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
