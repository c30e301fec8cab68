package org.jgrad.examples;

import java.util.Arrays;

/** Command-line entry point: {@code jgrad <example> [options]}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        String example = args.length == 0 ? "train" : args[0];
        String[] rest = args.length == 0 ? new String[0] : Arrays.copyOfRange(args, 1, args.length);
        switch (example) {
            case "autodiff" -> AutodiffExample.run(System.out);
            case "train" -> TrainExample.run(TrainExample.Options.parse(rest), System.out);
            case "hello" -> HelloRnn.main(rest, System.out);
            case "names" -> NameGenerator.main(rest, System.out);
            case "help", "--help", "-h" -> usage();
            default -> {
                System.err.println("unknown example '" + example + "'");
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.out.println("usage: jgrad <example> [options]");
        System.out.println("  autodiff   the course's two autodiff examples: forward trace, reverse and forward mode");
        System.out.println("  train      the main job: " + TrainExample.Options.usage().substring("train ".length()));
        System.out.println("  hello      one-layer RNN learns \"hello\" [--epochs N --seed S --hidden H]");
        System.out.println("  names      character-level LSTM invents first names [--epochs N --seed S --samples K --temperature T]");
    }
}
