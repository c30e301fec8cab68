package org.jgrad.examples;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} options of an example, with defaults; unknown or malformed options are refused. */
final class Args {

    private final String example;
    private final Map<String, String> values = new HashMap<>();

    Args(String example, String[] args) {
        this.example = example;
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(example + ": expected options as --name value, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    /** A directory or file option; the default is used when the option is absent. */
    java.nio.file.Path path(String name, java.nio.file.Path def) {
        String v = values.remove(name);
        return v == null ? def : java.nio.file.Path.of(v);
    }

    /** Where an example writes its pictures: {@code --out DIR}, by default {@code jgrad-out/<example>}. */
    java.nio.file.Path outDir() {
        return path("out", java.nio.file.Path.of("jgrad-out", example));
    }

    /** A text option, such as a list; the default is used when the option is absent. */
    String text(String name, String def) {
        String v = values.remove(name);
        return v == null ? def : v;
    }

    int integer(String name, int def) {
        return (int) number(name, def);
    }

    /** A whole-number option that must be at least 1. */
    int positive(String name, int def) {
        int v = integer(name, def);
        if (v < 1) throw new IllegalArgumentException(example + ": --" + name + " expects a positive whole number, got " + v);
        return v;
    }

    long longValue(String name, long def) {
        return (long) number(name, def);
    }

    double real(String name, double def) {
        String v = values.remove(name);
        if (v == null) return def;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(example + ": --" + name + " expects a number, got '" + v + "'");
        }
    }

    private double number(String name, double def) {
        String v = values.remove(name);
        if (v == null) return def;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(example + ": --" + name + " expects a whole number, got '" + v + "'");
        }
    }

    /** Refuses options no one asked for (a typo would otherwise be ignored silently). */
    void done() {
        if (!values.isEmpty()) throw new IllegalArgumentException(example + ": unknown option(s) " + new java.util.TreeSet<>(values.keySet()));
    }
}
