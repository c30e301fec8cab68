package org.jgrad.notebook;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.jgrad.examples.plot.Display;

/**
 * The stream a cell's {@code System.out} (or {@code err}) arrives on from the JShell remote:
 * passes text on as soon as it comes (so a progress line updates while a cell trains), and takes
 * out the lines that {@link Display} wrote to carry a PNG ({@link Display#MARKER} + base64).
 * A partial line is held back only while it could still become such a line, and a UTF-8
 * character is never split.
 */
final class DisplayFilter extends OutputStream {

    private static final byte[] MARKER = Display.MARKER.getBytes(StandardCharsets.UTF_8);

    private final Session.Output output;
    private final boolean stderr;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    DisplayFilter(Session.Output output, boolean stderr) {
        this.output = output;
        this.stderr = stderr;
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n' || b == '\r') endLine();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            line.write(b[i]);
            if (b[i] == '\n' || b[i] == '\r') endLine();
        }
        if (line.size() > 0) emitText(heldFrom(line.toByteArray()));
    }

    /** Passes on whatever is held back (at the end of a cell). */
    synchronized void flushAll() {
        if (line.size() > 0) emitText(line.size());
    }

    /** A whole line: the text before a marker, then the marker's PNG (a marker may follow text printed without a newline). */
    private void endLine() {
        byte[] bytes = line.toByteArray();
        int at = indexOf(bytes, MARKER);
        if (at < 0) {
            emitText(bytes.length);
            return;
        }
        emitText(at);
        line.reset();
        String base64 = new String(bytes, at + MARKER.length, bytes.length - at - MARKER.length, StandardCharsets.US_ASCII).strip();
        try {
            output.png(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            output.text("[a figure arrived damaged: " + e.getMessage() + "]\n", true);
        }
    }

    /**
     * Where the part of a partial line that must wait starts: at a marker, or at a tail that could
     * still become one, else at a UTF-8 character cut in two; the whole length when nothing waits.
     */
    static int heldFrom(byte[] partial) {
        int at = indexOf(partial, MARKER);
        if (at >= 0) return at;
        for (int k = Math.max(0, partial.length - MARKER.length + 1); k < partial.length; k++) {
            if (Arrays.equals(partial, k, partial.length, MARKER, 0, partial.length - k)) return wholeChars(partial, k);
        }
        return wholeChars(partial, partial.length);
    }

    /** Emits the first {@code n} bytes held as text and keeps the rest. */
    private void emitText(int n) {
        if (n == 0) return;
        byte[] bytes = line.toByteArray();
        output.text(new String(bytes, 0, n, StandardCharsets.UTF_8), stderr);
        line.reset();
        line.write(bytes, n, bytes.length - n);
    }

    /** Length of the longest prefix that ends on a character boundary. */
    static int wholeChars(byte[] b, int n) {
        int lead = n - 1;
        while (lead >= 0 && (b[lead] & 0xC0) == 0x80) lead--;   // back over continuation bytes
        if (lead < 0) return 0;
        int v = b[lead] & 0xFF;
        int size = v < 0x80 ? 1 : v >= 0xF0 ? 4 : v >= 0xE0 ? 3 : v >= 0xC0 ? 2 : 1;
        return lead + size <= n ? n : lead;
    }

    private static int indexOf(byte[] a, byte[] b) {
        for (int i = 0; i + b.length <= a.length; i++) {
            if (Arrays.equals(a, i, i + b.length, b, 0, b.length)) return i;
        }
        return -1;
    }
}
