package org.jgrad.notebook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * jgrad's Jupyter kernel: the messaging is DFLib's {@code jjava-jupyter} (JeroMQ, pure Java), the
 * cells are Java run by a {@link Session} (the JDK's JShell with jgrad on a remote JVM that has
 * the Vector API). What a cell prints streams as it comes; figures shown through
 * {@code org.jgrad.examples.plot.Display} arrive as {@code image/png}; an expression's value is
 * the cell's result, a module's with its summary table as {@code text/html} beside the text; a
 * cell that fails is an error output.
 *
 * <p>Started by Jupyter from the kernel spec that {@code ./jgrad notebook} installs:
 * {@code java --add-modules jdk.incubator.vector -cp ... org.jgrad.notebook.Kernel CONNECTION_FILE}.
 * More options for the cells' JVM (such as {@code -Djgrad.small=true}) come from the environment
 * variable {@code JGRAD_NOTEBOOK_OPTS}, separated by spaces.
 */
public final class Kernel extends BaseKernel {

    private final Session session;

    private Kernel(String classPath, List<String> remoteOptions) {
        super("jgrad", version(), new LanguageInfo.Builder("java")
                        .version(Runtime.version().toString())
                        .mimetype("text/x-java-source")
                        .fileExtension(".jshell")
                        .pygments("java")
                        .codemirror("text/x-java")
                        .build(),
                List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null,
                new MagicsRegistry(), false, new StringStyler.Builder().build());
        session = new Session(classPath, remoteOptions, new Session.Output() {
            @Override
            public void text(String text, boolean stderr) {
                var stream = stderr ? io.err : io.out;
                stream.print(text);
                stream.flush();
            }

            @Override
            public void png(byte[] png) {
                DisplayData data = new DisplayData();
                data.putData("image/png", Base64.getEncoder().encodeToString(png));
                display(data);
            }
        });
    }

    /**
     * Runs the kernel until Jupyter shuts it down.
     *
     * @param args the connection file Jupyter wrote ({@code {connection_file}} in the kernel spec)
     * @throws Exception when the connection file cannot be read or its sockets cannot be bound
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: org.jgrad.notebook.Kernel CONNECTION_FILE (Jupyter starts the kernel with it; "
                    + "run ./jgrad notebook to install the kernel spec)");
            System.exit(2);
        }
        // the protocol library's own log: warnings only, on stderr (the Jupyter server's log)
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        String connection = Files.readString(Path.of(args[0]));
        Kernel kernel = new Kernel(System.getProperty("java.class.path"), remoteOptions(System.getenv("JGRAD_NOTEBOOK_OPTS")));
        JupyterConnection conn = new JupyterConnection(KernelConnectionProperties.parse(connection));
        kernel.onStartup();
        kernel.becomeHandlerForConnection(conn);
        conn.connect();
        conn.waitUntilClose();
        kernel.session.close();
    }

    /** The options in {@code JGRAD_NOTEBOOK_OPTS}, split at white space. */
    static List<String> remoteOptions(String env) {
        List<String> options = new ArrayList<>();
        if (env != null) for (String o : env.trim().split("\\s+")) if (!o.isEmpty()) options.add(o);
        return options;
    }

    private static String version() {
        String v = Kernel.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public Object evalRaw(String source) {
        Optional<Session.Value> value;
        try {
            value = session.eval(source);
        } catch (CellException e) {
            throw new CellError(e);
        }
        return value.map(Kernel::displayData).orElse(null);
    }

    /** A value as Jupyter shows it: its text, and a module's summary also as an HTML table. */
    static DisplayData displayData(Session.Value value) {
        DisplayData data = new DisplayData(value.text());
        value.summary().ifPresent(s -> data.putHTML(SummaryHtml.of(s)));
        return data;
    }

    /**
     * A failed cell as the protocol library reports an exception: its simple class name is
     * Jupyter's error name, so it is the failure's kind.
     */
    static final class CellError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CellException cell;

        CellError(CellException cell) {
            super(cell.getMessage(), null, false, false);
            this.cell = cell;
        }
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (!(e instanceof CellError f)) return super.formatError(e);
        // Jupyter shows the traceback lines (with ANSI colours); a Java stack of the kernel would
        // say nothing about the cell, so: the message in red, then the compiler's or the exception's lines
        List<String> lines = new ArrayList<>();
        lines.add("\u001b[1;31m" + f.cell.kind() + "\u001b[0m: " + f.cell.getMessage());
        lines.addAll(f.cell.details());
        return lines;
    }

    @Override
    public void interrupt() {
        session.stop();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        session.close();
        super.onShutdown(isRestarting);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<SourceCodeAnalysis.Documentation> docs = session.analysis().documentation(code, at, extraDetail);
        if (docs.isEmpty()) return null;
        StringBuilder sb = new StringBuilder();
        for (var d : docs) {
            sb.append(d.signature()).append('\n');
            if (d.javadoc() != null) sb.append(d.javadoc()).append('\n');
        }
        return new DisplayData(sb.toString());
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<String> names = session.analysis().completionSuggestions(code, at, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
        return new ReplacementOptions(names, anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.Completeness c = session.analysis().analyzeCompletion(code).completeness();
        if (c.isComplete() || c == SourceCodeAnalysis.Completeness.EMPTY) return IS_COMPLETE_YES;
        if (c == SourceCodeAnalysis.Completeness.UNKNOWN) return IS_COMPLETE_BAD;
        return "    ".repeat(Math.max(1, depth(code)));
    }

    private static int depth(String code) {
        int d = 0;
        for (char ch : code.toCharArray()) if (ch == '{') d++; else if (ch == '}') d--;
        return d;
    }
}
