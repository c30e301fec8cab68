package org.jgrad.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the peer scripts ({@code ../shared/peers/run.sh}: NumPy/OpenBLAS and PyTorch on the same
 * workloads) and turns their output into jgrad/peer ratios. Every figure there is printed twice,
 * with the machine's OPENBLAS_* settings as set and unset; as the peers README asks, the faster
 * one is the peer figure (what a user with a current OpenBLAS gets). Local runs only: CI has no
 * {@code ../shared}.
 */
final class Peers {

    private static final Pattern GEMM = Pattern.compile("^(?:numpy|torch)\\s+\\d+\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+[\\d.]+\\s+([\\d.]+)\\s+[\\d.]+", Pattern.MULTILINE);
    private static final Pattern CONV = Pattern.compile("^(forward|fwd\\+bwd)\\s+T=\\d+.*GFLOPS\\(median\\)\\s+([\\d.]+)", Pattern.MULTILINE);
    private static final Pattern TRAIN = Pattern.compile("^SUMMARY (mlp|cnn) T=\\d+.*img/s min [\\d.]+ median ([\\d.]+)", Pattern.MULTILINE);

    private Peers() {}

    /** GEMM GFLOPS by jgrad figure name (T=1), the faster of the as-set / unset runs. */
    static Map<String, Double> parseGemm(String output, int threads) {
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = GEMM.matcher(output);
        while (m.find()) {
            int mm = Integer.parseInt(m.group(1)), k = Integer.parseInt(m.group(2)), n = Integer.parseInt(m.group(3));
            out.merge(Suite.gemmName(mm, k, n, threads), Double.parseDouble(m.group(4)), Math::max);
        }
        return out;
    }

    /** conv2 forward and fwd+bwd GFLOPS (the peers' conv is the reference CNN's second layer). */
    static Map<String, Double> parseConv(String output, int threads) {
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = CONV.matcher(output);
        while (m.find()) {
            out.merge(Suite.convName(false, m.group(1).equals("fwd+bwd"), threads), Double.parseDouble(m.group(2)), Math::max);
        }
        return out;
    }

    /** Training img/s (median over epochs) keyed by the jgrad epoch figure's name (shuffled minibatches, like an epoch). */
    static Map<String, Double> parseTrain(String output, int threads) {
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = TRAIN.matcher(output);
        while (m.find()) {
            String name = m.group(1).equals("mlp") ? Suite.mlpEpochName(threads) : Suite.cnnEpochName(threads);
            out.merge(name, Double.parseDouble(m.group(2)), Math::max);
        }
        return out;
    }

    /** Ratio entries jgrad/peer for every jgrad figure that has a peer figure. */
    static List<Figure> ratios(List<Figure> jgrad, Map<String, Double> peer, Map<String, String> peerName, String env) {
        List<Figure> out = new ArrayList<>();
        for (Figure f : jgrad) {
            Double p = peer.get(f.name());
            if (p == null || p <= 0) continue;
            String who = peerName.getOrDefault(f.name(), "peer");
            // no samples: the peer is one measurement, so jgrad's repetitions alone would understate the ratio's noise
            out.add(new Figure("ratio " + f.name() + " jgrad/" + who, "x (jgrad/peer)", Figure.round(f.value() / p), f.range(),
                    String.format(Locale.ROOT, "jgrad %s %s; %s %s %s (faster of OPENBLAS_* as set / unset); %s",
                            ReportFiles.number(f.value()), f.unit(), who, ReportFiles.number(p), f.unit(), env)));
        }
        return out;
    }

    /** The peers folder: an explicit one, else ../shared/peers or ../../shared/peers from the working directory. */
    static Path locate(String explicit) {
        List<Path> candidates = explicit != null ? List.of(Path.of(explicit))
                : List.of(Path.of("../shared/peers"), Path.of("../../shared/peers"));
        for (Path p : candidates) if (Files.isRegularFile(p.resolve("run.sh"))) return p.toAbsolutePath().normalize();
        return null;
    }

    /** True when /usr/bin/python3 (the one run.sh uses) imports numpy and torch. */
    static boolean pythonReady() {
        try {
            return run(List.of("/usr/bin/python3", "-c", "import numpy, torch"), 120, null).exit == 0;
        } catch (IOException e) {
            return false;
        }
    }

    record Output(int exit, String text) {}

    /** Runs a command, echoing its output to {@code echo} as it comes; -1 on time-out. */
    static Output run(List<String> cmd, long timeoutSeconds, PrintStream echo) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder sb = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (var r = p.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (sb) {
                        sb.append(line).append('\n');
                    }
                    if (echo != null) echo.println("  | " + line);
                }
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        });
        reader.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                reader.join(5000);
                return new Output(-1, sb.toString());
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Output(-1, sb.toString());
        }
        synchronized (sb) {
            return new Output(p.exitValue(), sb.toString());
        }
    }
}
