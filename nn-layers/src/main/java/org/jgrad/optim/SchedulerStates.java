package org.jgrad.optim;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
        String v = state.get(key);
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(who + ".loadStateDict: '" + key + "' is '" + v + "'; expected a whole number ≥ 0");
    }

    static float rate(String who, Map<String, String> state, String key) {
        String v = state.get(key);
        try {
            float f = Float.parseFloat(v.trim());
            if (f >= 0 && !Float.isInfinite(f)) return f;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(who + ".loadStateDict: '" + key + "' is '" + v + "'; expected a finite learning rate ≥ 0");
    }

    static double number(String who, Map<String, String> state, String key) {
        String v = state.get(key);
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isNaN(d)) return d;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(who + ".loadStateDict: '" + key + "' is '" + v + "'; expected a number");
    }
}
