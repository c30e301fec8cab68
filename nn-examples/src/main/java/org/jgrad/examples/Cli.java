package org.jgrad.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * What the picocli command line of {@code ./jgrad} shares: the parser settings, the value
 * converters of typed options, one-line error messages that name the command, the option,
 * the value and what was expected (picocli's own say "Invalid value for option ..."), and what
 * the course examples' options have in common ({@link Job}, {@link Out}, {@link #parse}).
 */
final class Cli {

    /** Exit code of a bad command line (as before picocli). */
    static final int USAGE = 2;

    private Cli() {}

    /**
     * The options of a course example, as a picocli command named after the example
     * ({@code @Command(name = "spiral")}, {@code @Option} fields with their defaults), and how to run
     * the example with them. {@link Main} puts it under {@code jgrad <example>}; the example's
     * {@code main(String[], PrintStream)}, which tests and notebooks call, parses with {@link #parse}.
     */
    interface Job {
        /**
         * Runs the example with these options, printing to {@code out}.
         *
         * @return the example's result (what its {@code main} returns)
         */
        Object run(PrintStream out) throws Exception;
    }

    /**
     * {@code --out DIR}, where an example writes its pictures; by default {@code jgrad-out/<example>},
     * the example being the command the option is mixed into ({@code @Mixin Cli.Out out}).
     */
    static final class Out {
        @Spec(Spec.Target.MIXEE)
        CommandSpec example;

        @Option(names = "--out", paramLabel = "DIR", description = "Where the pictures go (default: jgrad-out/${COMMAND-NAME}).")
        Path dir;

        /** The directory given, or {@code jgrad-out/<example>}. */
        Path dir() {
            return dir != null ? dir : Path.of("jgrad-out", example.name());
        }
    }

    /**
     * Parses an example's command line into its {@code options} (a {@code @Command} named after the
     * example) and returns them; checks of several options together stay with the example.
     *
     * @throws IllegalArgumentException one line naming the example, the option, the value and what was
     *         expected; for a misspelt option a second line with picocli's suggestion ("Did you mean: --epochs?")
     */
    static <T> T parse(T options, String... args) {
        CommandLine cl = configure(new CommandLine(options));
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            String hint = suggestion(e);
            throw new IllegalArgumentException(message(e) + (hint.isEmpty() ? "" : "\n" + hint), e);
        }
        return options;
    }

    /**
     * The parser settings of every jgrad command: a repeated option keeps its last value,
     * {@code @file} arguments are not expanded (a path may start with @), no ANSI colours, and
     * numbers are read by the converters below (whose messages {@link #message} puts in one line),
     * so an option needs no {@code converter = ...} of its own.
     */
    static CommandLine configure(CommandLine cl) {
        cl.registerConverter(Integer.class, new Whole()).registerConverter(int.class, new Whole());
        cl.registerConverter(Long.class, new WholeLong()).registerConverter(long.class, new WholeLong());
        cl.registerConverter(Double.class, new Real()).registerConverter(double.class, new Real());
        cl.registerConverter(Float.class, new Finite()).registerConverter(float.class, new Finite());
        cl.setOverwrittenOptionsAllowed(true);
        cl.setExpandAtFiles(false);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setUsageHelpWidth(100);
        return cl;
    }

    /** The command's name: {@code jgrad} for the top-level command, else the subcommand's ({@code train}). */
    static String who(CommandLine cl) {
        return cl == null ? "jgrad" : cl.getCommandName();
    }

    /**
     * One line for a bad command line: "train: --epochs expects a whole number, got 'abc'",
     * "train: unknown option '--bogus'", "train: --plots needs a value", "jgrad: unknown example 'trian'".
     */
    static String message(ParameterException e) {
        CommandLine cl = e.getCommandLine();
        String who = who(cl);
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("-")) return who + ": unknown option '" + arg + "'";
            return who + (cl.getSubcommands().isEmpty() ? ": unexpected argument '" : ": unknown example '") + arg + "'";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            return who + ": " + o.longestName() + " needs a value";
        }
        ArgSpec spec = e.getArgSpec();
        if (e.getCause() instanceof TypeConversionException t && spec instanceof OptionSpec o) {
            return who + ": " + o.longestName() + " " + t.getMessage();
        }
        return who + ": " + e.getMessage();
    }

    /**
     * Prints a bad command line's message, picocli's suggestions for a typo ("Did you mean: train?")
     * and where the help is; returns {@link #USAGE}.
     */
    static int report(ParameterException e, PrintWriter err) {
        err.println(message(e));
        String hint = suggestion(e);
        if (!hint.isEmpty()) err.println(hint);
        CommandLine cl = e.getCommandLine();
        err.println("Try 'jgrad" + (cl.getParent() == null ? "" : " " + cl.getCommandName()) + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    /**
     * "Did you mean: train?" for a misspelt example or option (the nearest names by edit distance,
     * a swap of two letters counting as one edit, or the names it begins), else "".
     */
    static String suggestion(ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) return "";
        String arg = u.getUnmatched().get(0);
        CommandLine cl = e.getCommandLine();
        java.util.Collection<String> names = arg.startsWith("-")
                ? cl.getCommandSpec().optionsMap().keySet()
                : cl.getSubcommands().keySet();
        List<String> near = nearest(arg, names);
        return near.isEmpty() ? "" : "Did you mean: " + String.join(" or ", near) + "?";
    }

    /** The names nearest to {@code arg}: at most 2 edits away (more for long names), or those starting with it. */
    static List<String> nearest(String arg, java.util.Collection<String> names) {
        String a = arg.toLowerCase(java.util.Locale.ROOT);
        int limit = Math.max(2, a.replaceFirst("^-+", "").length() / 4), best = Integer.MAX_VALUE;
        List<String> near = new ArrayList<>();
        for (String name : names) {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            int d = n.startsWith(a) && a.replaceFirst("^-+", "").length() >= 2 ? 1 : distance(a, n);
            if (d > limit || d > best) continue;
            if (d < best) near.clear();
            best = d;
            near.add(name);
        }
        return near;
    }

    /** Edit distance: insertions, deletions, substitutions and swaps of neighbours (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** A whole number that fits an {@code int}. */
    static final class Whole implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long v = WholeLong.parse(value);
            if (v != (int) v) throw new TypeConversionException("is out of range: " + value);
            return (int) v;
        }
    }

    /** A whole number ({@code long}). */
    static final class WholeLong implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value);
        }

        static long parse(String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expects a whole number, got '" + value + "'");
            }
        }
    }

    /** A whole number of at least 1 that fits an {@code int}. */
    static final class Positive implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = new Whole().convert(value);
            if (v < 1) throw new TypeConversionException("expects a positive whole number, got " + v);
            return v;
        }
    }

    /** A finite {@code double} (no NaN, no infinity): the real-valued options of the course examples. */
    static final class Real implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v;
            try {
                v = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expects a number, got '" + value + "'");
            }
            if (!Double.isFinite(v)) throw new TypeConversionException("expects a finite number, got '" + value + "'");
            return v;
        }
    }

    /** A finite {@code float} (no NaN, no infinity). */
    static final class Finite implements CommandLine.ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            try {
                float f = Float.parseFloat(value.trim());
                if (Float.isFinite(f)) return f;
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new TypeConversionException("expects a finite number, got '" + value + "'");
        }
    }
}
