package org.jgrad.examples;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Cuts Java source into JShell snippets exactly as the {@code jshell} tool reads a file: it adds
 * lines until what it has is complete (or only comments), evaluates the first snippet of it, and
 * carries the rest over. So a line that is complete on its own ends the snippet even if the next
 * line starts with {@code .method()}: in the tool that next line is a syntax error, and here too.
 * One cutter for the course's notebooks everywhere: their test ({@code NotebooksTest}), the Jupyter
 * kernel's cells and the {@code .jsh} → {@code .ipynb} conversion (nn-notebook).
 */
public final class Snippets {

    private Snippets() {}

    /**
     * One snippet.
     *
     * @param source the source to evaluate, or null when the text ends inside it
     * @param offset where it starts in the text: its first line that is neither blank nor a comment
     */
    public record Piece(String source, int offset) {}

    /**
     * The snippets of a text, in order.
     *
     * @param analysis the analysis of the JShell that will evaluate them
     * @param text Java source: declarations, statements, expressions, imports, comments
     * @return the snippets; the last one's source is null when the text ends inside a snippet
     */
    public static List<Piece> pieces(SourceCodeAnalysis analysis, String text) {
        String[] lines = text.split("\n", -1);
        List<Piece> pieces = new ArrayList<>();
        String src = "";
        int srcStart = 0, next = 0, lineStart = 0;
        while (true) {
            while (src.isEmpty() || !complete(analysis, src)) {
                if (next == lines.length) {
                    if (!src.isBlank()) pieces.add(new Piece(null, srcStart + leadingBlank(src)));
                    return pieces;
                }
                if (src.isEmpty()) srcStart = lineStart;
                src = src.isEmpty() ? lines[next] : src + "\n" + lines[next];
                lineStart += lines[next++].length() + 1;
            }
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(src);
            String snippet = src.substring(0, src.length() - info.remaining().length());
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                snippet = src;   // only comments and blanks: all consumed
            } else {
                pieces.add(new Piece(info.source(), srcStart + firstCodeLine(snippet)));
            }
            srcStart += snippet.length();
            src = info.remaining();
        }
    }

    private static boolean complete(SourceCodeAnalysis analysis, String src) {
        SourceCodeAnalysis.Completeness c = analysis.analyzeCompletion(src).completeness();
        return c.isComplete() || c == SourceCodeAnalysis.Completeness.EMPTY;
    }

    private static int leadingBlank(String s) {
        return s.length() - s.stripLeading().length();
    }

    /** Offset of the first line of a snippet's raw text that is neither blank nor a comment. */
    private static int firstCodeLine(String raw) {
        int pos = 0;
        boolean inBlock = false;
        while (pos < raw.length()) {
            int eol = raw.indexOf('\n', pos);
            String line = raw.substring(pos, eol < 0 ? raw.length() : eol).strip();
            if (inBlock) {
                inBlock = !line.contains("*/");
            } else if (line.startsWith("/*")) {
                inBlock = !line.contains("*/");
            } else if (!line.isEmpty() && !line.startsWith("//")) {
                return pos + leadingBlank(raw.substring(pos));
            }
            if (eol < 0) break;
            pos = eol + 1;
        }
        return 0;
    }
}
