package org.jgrad.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jgrad.core.Tensor;

/**
 * Reads numeric UTF-8 CSV files into a {@link TensorDataset}: one row per sample, one column the label.
 *
 * <p>The file is split as RFC 4180 says, through Apache Commons CSV: a field may be quoted
 * ({@code "1.5"}, a header name {@code "a,b"}), a quoted field may span lines, and lines may end
 * with {@code \n}, {@code \r\n} or {@code \r}. Beyond RFC 4180, spaces around a field are
 * ignored ({@code 1, 2} and {@code "1" , 2} read as 1 and 2), a UTF-8 byte order mark at the start
 * is skipped, and blank lines are skipped (but with {@code header} the first row is the header
 * even when blank). Line numbers in errors count physical lines from 1; for a row that spans lines
 * they name the line the row starts on.
 *
 * <p>Every value must be a finite float: a value beyond the float range ({@code 1e39}, which
 * {@link Float#parseFloat} would turn into Infinity), {@code Infinity} and {@code NaN} are errors
 * naming the file, the line, the column and the text, so bad data fails at loading rather than as
 * a NaN loss many steps later. Missing values written as {@code NaN} can be let through in the
 * feature columns with {@link NaNs#ALLOW}.
 */
public final class Csv {

    private Csv() {}

    /** RFC 4180 (comma, double quotes, blank lines kept so they count as lines), spaces around fields ignored. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).get();

    /** What to do with a {@code NaN} in a feature column. */
    public enum NaNs {
        /** An error naming the file, line and column (the default). */
        REFUSE,
        /** Read as NaN, for models that handle missing values; labels must still be finite. */
        ALLOW
    }

    /**
     * {@link #read(Path, boolean, int, NaNs)} refusing NaN.
     *
     * @param file a UTF-8 CSV file of numbers
     * @param header      skip the first row (the column names)
     * @param labelColumn index of the label column (negative counts from the end: -1 is the last)
     * @return features {@code [n, columns − 1]} and labels {@code [n]}
     * @throws IOException if the file cannot be read or holds a bad value or row
     */
    public static TensorDataset read(Path file, boolean header, int labelColumn) throws IOException {
        return read(file, header, labelColumn, NaNs.REFUSE);
    }

    /**
     * Reads a CSV file of numbers: every column but the label column becomes a feature.
     *
     * @param file a UTF-8 CSV file of numbers
     * @param header      skip the first row (the column names)
     * @param labelColumn index of the label column (negative counts from the end: -1 is the last)
     * @param nans        whether a NaN in a feature column is an error (REFUSE) or read as NaN (ALLOW)
     * @return features {@code [n, columns − 1]} and labels {@code [n]}
     * @throws IOException naming the file and the line (and the column and text of a bad value): a
     *                     value that is not a finite float, a row with the wrong number of columns,
     *                     a quote left open, a line that is not UTF-8; or a file with no data rows
     * @throws IllegalArgumentException if the label column is out of range for the columns
     */
    public static TensorDataset read(Path file, boolean header, int labelColumn, NaNs nans) throws IOException {
        String text = decode(file, Files.readAllBytes(file));
        // Commons CSV would keep a byte order mark in the first field; Excel's "CSV UTF-8" and pandas' utf-8-sig write one
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<float[]> rows = new ArrayList<>();
        int width = -1, label = -1;
        try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
            Iterator<CSVRecord> records = parser.iterator();
            // hasNext() reads the next record, so its first line is taken before: one past the last
            // line of the record before (exact, since blank lines are records too with this format)
            for (long line = 1; records.hasNext(); line = parser.getCurrentLineNumber() + 1) {
                CSVRecord cells = records.next();
                if (header && cells.getRecordNumber() == 1) continue;
                if (cells.size() == 1 && cells.get(0).isBlank()) continue;  // a blank line
                if (width < 0) {
                    width = cells.size();
                    label = labelColumn < 0 ? width + labelColumn : labelColumn;
                    if (label < 0 || label >= width) {
                        throw new IllegalArgumentException("Csv.read: label column " + labelColumn + " is out of range for " + width + " columns");
                    }
                }
                if (cells.size() != width) {
                    throw new IOException(file + ": line " + line + " has " + cells.size() + " columns, expected " + width);
                }
                float[] row = new float[width];
                for (int c = 0; c < width; c++) row[c] = parse(file, line, c + 1, cells.get(c), c == label, nans);
                rows.add(row);
            }
        } catch (UncheckedIOException e) {
            // the iterator's way of reporting a quote left open or text after a closing quote;
            // Commons CSV's message names the line
            throw new IOException(file + ": " + e.getCause().getMessage(), e.getCause());
        }
        if (rows.isEmpty()) throw new IOException(file + ": no data rows");
        int n = rows.size(), d = width - 1;
        float[] x = new float[n * d], y = new float[n];
        for (int i = 0; i < n; i++) {
            float[] r = rows.get(i);
            for (int c = 0, j = 0; c < width; c++) {
                if (c == label) y[i] = r[c];
                else x[i * d + j++] = r[c];
            }
        }
        return new TensorDataset(Tensor.of(x, n, d), Tensor.of(y, n));
    }

    /** One cell as a finite float (or NaN where allowed); line and column count from 1. */
    private static float parse(Path file, long line, int column, String cell, boolean isLabel, NaNs nans) throws IOException {
        String where = file + ": line " + line + ", column " + column + ": '" + cell + "'";
        String text = cell.strip();
        float v;
        try {
            v = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new IOException(where + " is not a number");
        }
        if (Float.isNaN(v)) {
            if (isLabel) {
                throw new IOException(where + " is not a finite number (column " + column + " holds the labels, which must be"
                        + " finite even with Csv.NaNs.ALLOW)");
            }
            if (nans != NaNs.ALLOW) {
                throw new IOException(where + " is not a finite number (missing values written as NaN are read only with"
                        + " Csv.NaNs.ALLOW)");
            }
        } else if (Float.isInfinite(v)) {
            // parseFloat gives Infinity both for the word and for a number too large for a float
            boolean word = text.replaceFirst("^[+-]", "").equals("Infinity");
            throw new IOException(where + (word ? " is not a finite number"
                    : " is out of the float range (largest magnitude " + Float.MAX_VALUE + ")"));
        }
        return v;
    }

    /**
     * The file's text, decoded strictly as UTF-8; a malformed byte is an error naming the line
     * (counted with the line endings {@link String#lines} splits on: \n, \r\n and \r) and the byte.
     */
    private static String decode(Path file, byte[] bytes) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);          // UTF-8 never gives more chars than bytes
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) r = decoder.flush(out);
        if (r.isError()) {
            int bad = in.position(), line = 1, start = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
                    line++;
                    start = i + 1;
                }
            }
            throw new IOException(String.format(Locale.ROOT, "%s: line %d is not valid UTF-8 (byte 0x%02X at byte %d of the line);"
                    + " save the file as UTF-8", file, line, bytes[bad] & 0xFF, bad - start + 1));
        }
        return out.flip().toString();
    }
}
