package org.jgrad.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A fresh JVM for part of the report: this JVM's java and class path, the Vector API module, the
 * given JVM options, a main class and its arguments; each line it prints (stdout and stderr) goes
 * to a consumer as it comes. Start-up figures need a fresh JVM per run; the kernel figures a JVM
 * whose heap is fixed and pre-touched.
 */
final class ChildJvm {

    private ChildJvm() {}

    /**
     * Runs {@code main} with {@code args} in a new JVM and waits for it.
     *
     * @return the child's exit code
     * @throws IOException when the JVM cannot be started or the wait is interrupted
     */
    static int run(List<String> jvmOptions, Class<?> main, List<String> args, Consumer<String> eachLine) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) eachLine.accept(line);
        }
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + main.getSimpleName() + " in a child JVM", e);
        }
    }
}
