package org.jgrad.notebook;

import java.util.List;

/**
 * A cell that failed: a snippet that does not compile, threw, refers to something undefined, or a
 * cell that ends inside a snippet. Jupyter shows it as an error output (so {@code nbconvert
 * --execute} and nbclient stop there and fail).
 */
public final class CellException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, in a word ({@link #kind()}). */
    private final String kind;
    /** The compiler's messages or the exception's frames ({@link #details()}). */
    private final List<String> details;

    /**
     * A failed cell.
     *
     * @param kind a short name of what went wrong: {@code CompileError}, the exception's simple class name, ...
     * @param message where in the cell and what went wrong, in one line
     * @param details the compiler's messages or the exception's frames, one line each
     */
    public CellException(String kind, String message, List<String> details) {
        super(message);
        this.kind = kind;
        this.details = List.copyOf(details);
    }

    /**
     * What went wrong, in a word, for Jupyter's error name.
     *
     * @return {@code CompileError}, {@code Incomplete}, {@code Unresolved}, {@code SessionEnded} or
     *         the simple name of the exception the cell threw
     */
    public String kind() {
        return kind;
    }

    /**
     * The compiler's messages or the exception's frames, one line each.
     *
     * @return the lines, possibly none
     */
    public List<String> details() {
        return details;
    }
}
