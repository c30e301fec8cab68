package org.jgrad.optim;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/** Checks and parses a {@link Scheduler}'s state dict: errors name the scheduler, the entry, its value and what was expected. */
final class SchedulerStates {

    private SchedulerStates() {}

    /** The keys must be exactly {@code expected}. */
    static void keys(String who, Map<String, String> state, Set<String> expected) {
        TreeSet<String> missing = new TreeSet<>(expected), unexpected = new TreeSet<>(state.keySet());
        missing.removeAll(state.keySet());
        unexpected.removeAll(expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException(who + ".loadStateDict: missing " + missing + ", unexpected " + unexpected
                    + "; expected exactly " + new TreeSet<>(expected));
        }
    }

    static int count(String who, Map<String, String> state, String key) {
        return parse(who, state, key, Integer::valueOf, n -> n >= 0, "a whole number ≥ 0");
    }

    static float rate(String who, Map<String, String> state, String key) {
        return parse(who, state, key, Float::valueOf, f -> f >= 0 && !Float.isInfinite(f), "a finite learning rate ≥ 0");
    }

    static double number(String who, Map<String, String> state, String key) {
        return parse(who, state, key, Double::valueOf, d -> !Double.isNaN(d), "a number");
    }

    /** The entry's text parsed and checked, else an error naming the entry, its text and {@code expected}. */
    private static <T> T parse(String who, Map<String, String> state, String key, Function<String, T> parser,
                               Predicate<T> valid, String expected) {
        String v = state.get(key);
        try {
            T value = parser.apply(v.trim());
            if (valid.test(value)) return value;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(who + ".loadStateDict: '" + key + "' is '" + v + "'; expected " + expected);
    }
}
