package org.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CSV reader reads (RFC 4180 through Commons CSV), what it refuses, and how it says so:
 * the file, the line, the column and the text.
 */
class CsvTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** Float.parseFloat reads 1e39 as Infinity and -1e39 as -Infinity: the data would hold Inf without a word. */
    @Test
    void aValueBeyondTheFloatRangeIsAnErrorNamingFileLineColumnAndText() throws IOException {
        Path csv = write("big.csv", "a,b,label\n1,2,0\n3,1e39,1\n");
        assertThatThrownBy(() -> Csv.read(csv, true, -1))
                .isInstanceOf(IOException.class)
                .hasMessage(csv + ": line 3, column 2: '1e39' is out of the float range (largest magnitude 3.4028235E38)");
        Path negative = write("neg.csv", "-1e39,0\n");
        assertThatThrownBy(() -> Csv.read(negative, false, -1))
                .hasMessage(negative + ": line 1, column 1: '-1e39' is out of the float range (largest magnitude 3.4028235E38)");
    }

    @Test
    void infinityAndNaNAreErrorsUnlessNaNIsAllowedExplicitly() throws IOException {
        Path inf = write("inf.csv", "1,Infinity,0\n");
        assertThatThrownBy(() -> Csv.read(inf, false, -1))
                .isInstanceOf(IOException.class)
                .hasMessage(inf + ": line 1, column 2: 'Infinity' is not a finite number");
        Path nan = write("nan.csv", "x,y,label\n1,2,0\nNaN, 4,1\n");
        assertThatThrownBy(() -> Csv.read(nan, true, -1))
                .isInstanceOf(IOException.class)
                .hasMessage(nan + ": line 3, column 1: 'NaN' is not a finite number (missing values written as NaN"
                        + " are read only with Csv.NaNs.ALLOW)");
        // allowed on request, in feature columns: a model that imputes missing values can read them
        TensorDataset ds = Csv.read(nan, true, -1, Csv.NaNs.ALLOW);
        assertThat(ds.features().toArray()).containsExactly(1, 2, Float.NaN, 4);
        assertThat(ds.labels().toArray()).containsExactly(0, 1);
        // a label is never NaN: no loss can use it
        Path nanLabel = write("nanlabel.csv", "1,2,0\n3,4,NaN\n");
        assertThatThrownBy(() -> Csv.read(nanLabel, false, -1, Csv.NaNs.ALLOW))
                .hasMessage(nanLabel + ": line 2, column 3: 'NaN' is not a finite number (column 3 holds the labels, which"
                        + " must be finite even with Csv.NaNs.ALLOW)");
        // Inf stays an error with NaN allowed
        assertThatThrownBy(() -> Csv.read(inf, false, -1, Csv.NaNs.ALLOW))
                .hasMessage(inf + ": line 1, column 2: 'Infinity' is not a finite number");
    }

    /** Small values still read (they round to the nearest float, to 0 below 1.4e-45), as in PyTorch and NumPy. */
    @Test
    void finiteValuesReadAsBefore() throws IOException {
        Path csv = write("ok.csv", "1e-50,3.4028235e38,-2.5,7\n");
        TensorDataset ds = Csv.read(csv, false, -1);
        assertThat(ds.features().toArray()).containsExactly(0f, Float.MAX_VALUE, -2.5f);
        assertThat(ds.labels().toArray()).containsExactly(7f);
    }

    /** Was: java.nio.charset.MalformedInputException: Input length = 1 (no file, no line). */
    @Test
    void aFileThatIsNotUtf8IsNamedWithItsLine() throws IOException {
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "prix,label\n1,0\n2,1\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Csv.read(latin1, true, -1))
                .isInstanceOf(IOException.class)
                .hasMessage(latin1 + ": line 4 is not valid UTF-8 (byte 0xE9 at byte 6 of the line); save the file as UTF-8");
        // the line is counted with every line ending Files.readAllLines accepts: \n, \r\n and \r
        Path mixed = dir.resolve("mixed.csv");
        byte[] head = "a,label\r\n1,0\r2,1\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bad = {'3', ',', (byte) 0xFF, '\n'};
        byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(mixed, all);
        assertThatThrownBy(() -> Csv.read(mixed, true, -1))
                .hasMessage(mixed + ": line 4 is not valid UTF-8 (byte 0xFF at byte 3 of the line); save the file as UTF-8");
    }

    @Test
    void utf8TextInAHeaderIsFine() throws IOException {
        Path csv = write("utf8.csv", "caf\u00e9,\u00e9tiquette\n1.5,1\n");
        assertThat(Csv.read(csv, true, -1).features().toArray()).containsExactly(1.5f);
    }

    @Test
    void quotedNumericFieldsRead() throws IOException {
        Path csv = write("quoted.csv", "\"1.5\",\"2\",0\n3,\"-4e-1\",\"1\"\n");
        TensorDataset ds = Csv.read(csv, false, -1);
        assertThat(ds.features().toArray()).containsExactly(1.5f, 2, 3, -0.4f);
        assertThat(ds.labels().toArray()).containsExactly(0, 1);
    }

    /** A header name may hold commas and line breaks: it is one column and one row. */
    @Test
    void aQuotedHeaderWithCommasIsOneRow() throws IOException {
        Path csv = write("header.csv", "\"a,b\",c,label\n1,2,0\n3,4,1\n");
        TensorDataset ds = Csv.read(csv, true, -1);
        assertThat(ds.features().toArray()).containsExactly(1, 2, 3, 4);
        assertThat(ds.labels().toArray()).containsExactly(0, 1);
        Path twoLines = write("header2.csv", "\"height\n(cm)\",\"a,b\",label\n1,2,0\n");
        assertThat(Csv.read(twoLines, true, 0).labels().toArray()).containsExactly(1);
    }

    @Test
    void crlfLineEndingsRead() throws IOException {
        Path csv = write("crlf.csv", "a,b,label\r\n1,2,0\r\n3,4,1\r\n");
        TensorDataset ds = Csv.read(csv, true, -1);
        assertThat(ds.features().toArray()).containsExactly(1, 2, 3, 4);
        assertThat(ds.labels().toArray()).containsExactly(0, 1);
        Path bad = write("crlfbad.csv", "a,b,label\r\n1,2,0\r\n3,x,1\r\n");
        assertThatThrownBy(() -> Csv.read(bad, true, -1)).hasMessage(bad + ": line 3, column 2: 'x' is not a number");
    }

    /** Excel's "CSV UTF-8" and pandas' to_csv(encoding="utf-8-sig") start the file with a BOM. */
    @Test
    void aByteOrderMarkAtTheStartIsSkipped() throws IOException {
        Path noHeader = write("bom.csv", "\uFEFF1.5,2,0\n");
        assertThat(Csv.read(noHeader, false, -1).features().toArray()).containsExactly(1.5f, 2);
        Path quoted = write("bomquoted.csv", "\uFEFF\"x\",label\n1,0\n");
        assertThat(Csv.read(quoted, true, -1).features().toArray()).containsExactly(1);
    }

    /** Spaces and tabs around a value, quoted or not, are ignored, as Float.parseFloat ignores them. */
    @Test
    void whitespaceAroundNumbersIsIgnored() throws IOException {
        Path csv = write("spaces.csv", " 1.5 ,\t2\t, \" 3 \" ,0 \n");
        TensorDataset ds = Csv.read(csv, false, -1);
        assertThat(ds.features().toArray()).containsExactly(1.5f, 2, 3);
        assertThat(ds.labels().toArray()).containsExactly(0);
    }

    /** Blank lines (empty or only spaces) anywhere are skipped, as before Commons CSV. */
    @Test
    void blankLinesAreSkipped() throws IOException {
        Path csv = write("blank.csv", "a,label\n\n1,0\n   \r\n\t\n2,1\n\n");
        assertThat(Csv.read(csv, true, -1).features().toArray()).containsExactly(1, 2);
        // with a header the first row is the header, blank or not: the names below it are then data
        Path blankFirst = write("blankfirst.csv", "\na,label\n1,0\n");
        assertThatThrownBy(() -> Csv.read(blankFirst, true, -1)).hasMessage(blankFirst + ": line 2, column 1: 'a' is not a number");
    }

    /** Errors count physical lines, not records: a quoted field spanning lines moves the rows below it. */
    @Test
    void errorLinesAfterAFieldSpanningLinesAreFileLines() throws IOException {
        String head = "\"first\nfeature\",b,label\n1,2,0\n\n";  // lines 1-2 the header, 3 a row, 4 blank
        Path notANumber = write("multi1.csv", head + "3,x,1\n");
        assertThatThrownBy(() -> Csv.read(notANumber, true, -1)).hasMessage(notANumber + ": line 5, column 2: 'x' is not a number");
        Path columns = write("multi2.csv", head + "3,4,1\n5,6\n");
        assertThatThrownBy(() -> Csv.read(columns, true, -1)).hasMessage(columns + ": line 6 has 2 columns, expected 3");
        // a row spanning lines is named by its first line
        Path spanning = write("multi3.csv", head + "3,\"4\n5\",1\n");
        assertThatThrownBy(() -> Csv.read(spanning, true, -1)).hasMessage(spanning + ": line 5, column 2: '4\n5' is not a number");
        Path open = write("multi4.csv", head + "3,4,1\n5,\"6,1\n7,8,0\n");
        assertThatThrownBy(() -> Csv.read(open, true, -1))
                .isInstanceOf(IOException.class)
                .hasMessage(open + ": (startline 6) EOF reached before encapsulated token finished");
        Path afterQuote = write("multi5.csv", head + "3,\"4\"x,1\n");
        assertThatThrownBy(() -> Csv.read(afterQuote, true, -1))
                // Commons CSV's "position" there is the character offset in the file, not in the line
                .hasMessageStartingWith(afterQuote + ": Invalid character between encapsulated token and delimiter at line: 5,");
    }

    @Test
    void anEmptyFileOrAHeaderAloneHasNoDataRows() throws IOException {
        Path empty = write("empty.csv", "");
        assertThatThrownBy(() -> Csv.read(empty, false, -1)).isInstanceOf(IOException.class).hasMessage(empty + ": no data rows");
        Path headerOnly = write("headeronly.csv", "a,b,label\r\n\r\n");
        assertThatThrownBy(() -> Csv.read(headerOnly, true, -1)).hasMessage(headerOnly + ": no data rows");
    }
}
