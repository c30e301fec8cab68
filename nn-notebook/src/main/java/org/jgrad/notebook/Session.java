package org.jgrad.notebook;

import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import org.jgrad.examples.Snippets;

/**
 * One notebook's Java session: cells evaluated by the JDK's {@link JShell}, in a second JVM (the
 * JShell remote) that has the Vector API module and jgrad on its class path, exactly as the
 * {@code jshell} tool runs a {@code .jsh} notebook. Knows nothing of Jupyter: what a cell prints
 * and the figures it shows go to an {@link Output}, its value is returned, and a cell that does not
 * compile or throws ends with a {@link CellException} that says where and why.
 */
public final class Session implements AutoCloseable {

    /** Where a cell's printed text and figures go, in the order the cell produced them. */
    public interface Output {
        /**
         * Text the cell printed: whole lines, a line ended by a carriage return (a progress line
         * rewriting itself), or the part of a line printed so far.
         *
         * @param text the text
         * @param stderr true for {@code System.err}
         */
        void text(String text, boolean stderr);

        /**
         * A figure the cell showed through {@code org.jgrad.examples.plot.Display}.
         *
         * @param png the PNG file's bytes
         */
        void png(byte[] png);
    }

    /**
     * A cell's value.
     *
     * @param text the value as JShell shows it (its {@code toString}; a string in quotes)
     * @param summary when the value is an {@code org.jgrad.nn.Module}: its summary table
     *                ({@code Module.summary()}, the layers and their parameter counts), else empty
     */
    public record Value(String text, Optional<String> summary) {}

    /** How a module's value starts ({@code Module.toString}: the class's simple name, then its arguments). */
    private static final Pattern MODULE_LIKE = Pattern.compile("^[\\w$]*\\(");

    private final JShell shell;
    private final DisplayFilter out, err;
    /** The name of the last value's variable ({@code $7}, or the variable a cell ends with). */
    private String valueName;

    /**
     * Starts a JShell whose remote JVM gets {@code --add-modules jdk.incubator.vector},
     * {@code -Djgrad.notebook=jupyter} (figures go inline), headless AWT and {@code remoteOptions}.
     *
     * @param classPath the cells' class path (jgrad and its dependencies), entries separated by
     *                  {@link File#pathSeparator}
     * @param remoteOptions more options for the remote JVM, such as {@code -Djgrad.small=true}
     * @param output receives what the cells print and show
     */
    public Session(String classPath, List<String> remoteOptions, Output output) {
        out = new DisplayFilter(output, false);
        err = new DisplayFilter(output, true);
        List<String> options = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector",
                "-Djgrad.notebook=jupyter", "-Djava.awt.headless=true"));
        options.addAll(remoteOptions);
        shell = JShell.builder()
                .out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .err(new PrintStream(err, true, StandardCharsets.UTF_8))
                // the compiler of the session's own JVM must also see the Vector API (jgrad's kernels use it)
                .compilerOptions("--add-modules", "jdk.incubator.vector")
                .remoteVMOptions(options.toArray(String[]::new))
                .build();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) shell.addToClasspath(entry);
        }
    }

    /**
     * Evaluates a cell: its snippets one after the other, cut as the {@code jshell} tool cuts a
     * file (lines are added until they form a complete snippet). Stops at the first snippet that
     * does not compile, throws, or refers to something not defined.
     *
     * @param cell Java code: declarations, statements, expressions, imports
     * @return the value of the cell's last snippet when it is an expression, else empty
     * @throws CellException when a snippet does not compile, throws, or the cell ends inside a snippet
     */
    public Optional<Value> eval(String cell) throws CellException {
        try {
            Optional<String> value = Optional.empty();
            String text = cell.replace("\r\n", "\n");
            for (Snippets.Piece piece : Snippets.pieces(shell.sourceCodeAnalysis(), text)) {
                String where = where(text, piece.offset());
                if (piece.source() == null) {
                    throw new CellException("Incomplete", "the cell ends inside a snippet that starts at " + where
                            + "; a brace, parenthesis or string is not closed", List.of());
                }
                value = check(where, shell.eval(piece.source()));
            }
            return value.map(v -> new Value(v, MODULE_LIKE.matcher(v).find() ? summary(valueName) : Optional.empty()));
        } catch (IllegalStateException e) {
            // JShell throws this when its remote JVM has ended (System.exit in a cell, or a crash)
            throw new CellException("SessionEnded", "the Java session ended (" + e.getMessage()
                    + "); restart the kernel", List.of());
        } finally {
            out.flushAll();
            err.flushAll();
        }
    }

    /** Stops the snippet that is running (the kernel's interrupt), as Ctrl-C does in {@code jshell}. */
    public void stop() {
        shell.stop();
    }

    /** Ends the remote JVM. */
    @Override
    public void close() {
        shell.close();
    }

    /**
     * Source code analysis of the session, for completion in the kernel.
     *
     * @return JShell's analysis of this session
     */
    public SourceCodeAnalysis analysis() {
        return shell.sourceCodeAnalysis();
    }

    /** The snippet's value when it is an expression; throws on a rejected snippet, an exception or an unresolved reference. */
    private Optional<String> check(String where, List<SnippetEvent> events) throws CellException {
        Optional<String> value = Optional.empty();
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) continue;   // a dependent snippet re-evaluated, not this one
            Snippet s = e.snippet();
            if (e.status() == Snippet.Status.REJECTED) {
                List<String> lines = new ArrayList<>();
                shell.diagnostics(s).filter(Diag::isError).forEach(d -> {
                    lines.add(d.getMessage(Locale.ROOT));
                    lines.add("    at: " + at(s.source(), d));
                });
                throw new CellException("CompileError", where + " does not compile: "
                        + shell.diagnostics(s).filter(Diag::isError).findFirst().map(d -> d.getMessage(Locale.ROOT)).orElse("?"), lines);
            }
            if (e.exception() != null) throw thrown(where, e.exception());
            if (e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                String missing = s instanceof DeclarationSnippet d
                        ? shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) : "?";
                throw new CellException("Unresolved", where + " refers to something not defined: " + missing, List.of());
            }
            // a method that calls one declared later is RECOVERABLE_DEFINED: allowed, as in jshell
            boolean expression = s.kind() == Snippet.Kind.EXPRESSION
                    || s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
            value = expression && e.value() != null ? Optional.of(e.value()) : Optional.empty();
            valueName = s instanceof VarSnippet v ? v.name() : s instanceof ExpressionSnippet x ? x.name() : null;
        }
        return value;
    }

    /**
     * The summary of the variable {@code name} when it holds a module, asked of the remote JVM in a
     * snippet that is dropped afterwards (base64, so JShell's quoting of a string changes nothing);
     * empty for anything else, and when the summary fails or jgrad's layers are not on the class path.
     */
    private Optional<String> summary(String name) {
        if (name == null) return Optional.empty();
        List<SnippetEvent> events = shell.eval("(Object) " + name + " instanceof org.jgrad.nn.Module module$ ? java.util.Base64"
                + ".getEncoder().encodeToString(module$.summary().getBytes(java.nio.charset.StandardCharsets.UTF_8)) : \"\"");
        Optional<String> summary = Optional.empty();
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null && e.status() == Snippet.Status.VALID && e.exception() == null && e.value() != null) {
                String base64 = e.value().replace("\"", "");
                if (!base64.isEmpty()) summary = Optional.of(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
            }
            shell.drop(e.snippet());
        }
        return summary;
    }

    /** The exception as the user sees it: class and message, the frames down to the cell, and its causes. */
    private CellException thrown(String where, JShellException x) {
        List<String> lines = new ArrayList<>();
        String name = "Exception", message = null;
        for (Throwable t = x; t != null; t = t.getCause()) {
            String line;
            if (t instanceof EvalException ee) {
                String cls = ee.getExceptionClassName();
                line = cls + (ee.getMessage() == null ? "" : ": " + ee.getMessage());
                if (t == x) name = cls.substring(cls.lastIndexOf('.') + 1);
            } else if (t instanceof UnresolvedReferenceException ure) {
                line = "an unresolved reference: " + ure.getSnippet().source().strip() + " needs "
                        + shell.unresolvedDependencies(ure.getSnippet()).collect(Collectors.joining(", "));
                if (t == x) name = "Unresolved";
            } else {
                line = t.toString();
            }
            if (message == null) message = line;
            lines.add(t == x ? line : "caused by " + line);
            for (StackTraceElement f : t.getStackTrace()) {
                // JShell names a snippet's frames by the snippet's id ("#17") and no class
                boolean snippet = f.getFileName() != null && f.getFileName().startsWith("#");
                if (!snippet) {
                    lines.add("    at " + f);
                } else if (f.getMethodName().isEmpty()) {
                    lines.add("    at the snippet (JShell " + f.getFileName() + "), its line " + f.getLineNumber());
                    break;   // below a snippet's top level are JShell's own frames, which say nothing to the reader
                } else {
                    lines.add("    at " + f.getMethodName() + " (declared in JShell snippet " + f.getFileName() + "), line " + f.getLineNumber());
                }
            }
        }
        return new CellException(name, where + " threw " + message, lines);
    }

    /** "line N: `first code line`" of the snippet starting at {@code offset} of the cell. */
    private static String where(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
        int eol = text.indexOf('\n', offset);
        return "line " + line + " `" + text.substring(offset, eol < 0 ? text.length() : eol).strip() + "`";
    }

    private static String at(String source, Diag d) {
        int p = (int) Math.max(0, Math.min(source.length(), d.getStartPosition()));
        int from = source.lastIndexOf('\n', p - 1) + 1, to = source.indexOf('\n', p);
        return source.substring(from, to < 0 ? source.length() : to).strip();
    }
}
