package org.jgrad.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and checked JSON header of a safetensors file. {@link #parse} accepts a header only
 * if every tensor it lists can be read from a data region of the given length exactly as
 * declared: known dtype, non-negative shape, {@code numel × dtype size = end − begin}, offsets
 * inside the region, tensors back to back with no overlap, gap or trailing bytes. Any problem is
 * an {@link IOException} whose message names the file.
 *
 * <p>The header is parsed as a stream of tokens, never as a tree, and every count is checked
 * against its limit before the thing counted is stored: at most {@link SafeTensors#MAX_TENSORS}
 * tensors, {@link SafeTensors#MAX_RANK} dimensions per shape, {@link SafeTensors#MAX_METADATA_ENTRIES}
 * metadata entries holding {@link SafeTensors#MAX_METADATA_CHARS} characters in all. A value of a
 * type the format does not allow there (an array for a dtype, an object in a shape) is refused
 * when its first token is seen, so nothing nests deeper than a shape's array.
 */
final class Header {

    static final String METADATA = "__metadata__";
    private static final long TOO_MANY = 1L << 40;

    /**
     * Duplicate names are errors. No single string may exceed the metadata limit, and names keep
     * Jackson's default limit (50,000 characters), so the parser's own buffers stay bounded too.
     * Names are not interned (the parser's symbol table is per parse once it outgrows 6,000).
     */
    static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)           // 262,144 forged names stay out of the JVM's pool
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(SafeTensors.MAX_METADATA_CHARS)
                            .maxNestingDepth(8)
                            .maxDocumentLength(SafeTensors.MAX_HEADER_BYTES)
                            .build())
                    .build())
            .build();

    /** One tensor as the header declares it; offsets are relative to the start of the data region. */
    record Entry(String name, DType dtype, int[] shape, int numel, long begin, long end) {}

    /** Entries in header order. */
    final List<Entry> entries;
    final Map<String, String> metadata;

    private Header(List<Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Parses the header read from {@code json} (which must end where the header ends). It must be
     * UTF-8: a zero byte among the first four, which is how Jackson would detect UTF-16 or UTF-32
     * (and is never valid JSON), is refused.
     */
    static Header parse(Path file, InputStream json, long dataLength) throws IOException {
        var in = new BufferedInputStream(json, 8192);
        in.mark(4);
        byte[] first = in.readNBytes(4);
        in.reset();
        for (int i = 0; i < first.length; i++) {
            if (first[i] == 0) {
                throw new IOException(file + ": header is not UTF-8 JSON (byte " + i + " of it is zero; UTF-16 and UTF-32 are not safetensors)");
            }
        }
        JsonParser p = JSON.createParser(in);
        try (p) {
            return parse(file, p, dataLength);
        } catch (StreamConstraintsException e) {
            throw new IOException(file + ": header exceeds a limit at " + where(p) + ": " + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw new IOException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (CharConversionException e) {                   // (Jackson's readers of UTF-16 and UTF-32)
            throw new IOException(file + ": header is not valid UTF-8 text: " + e.getMessage(), e);
        }
    }

    private static String where(JsonParser p) {
        String at = p.getParsingContext().pathAsPointer().toString();
        return at.isEmpty() ? "the top level" : "JSON pointer " + at;
    }

    private static Header parse(Path file, JsonParser p, long dataLength) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) throw new IOException(file + ": header must be a JSON object, got " + describe(p, t));
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals(METADATA)) {
                metadata = metadata(file, p, value);
            } else {
                if (entries.size() == SafeTensors.MAX_TENSORS) {
                    throw new IOException(where(file, name) + " is one more than " + SafeTensors.MAX_TENSORS
                            + " tensors, the most a jgrad file may hold (SafeTensors.MAX_TENSORS)");
                }
                entries.add(entry(file, name, p, value, dataLength));
            }
        }
        if (t != JsonToken.END_OBJECT) throw new IOException(file + ": header is not valid JSON: expected a name, got " + describe(p, t));
        t = p.nextToken();
        if (t != null) throw new IOException(file + ": header is not valid JSON: " + describe(p, t) + " after the closing brace");
        checkLayout(file, entries, dataLength);
        return new Header(List.copyOf(entries), metadata);
    }

    /** A token for a message: strings quoted and cut to 60 characters, structures by kind. */
    private static String describe(JsonParser p, JsonToken t) throws IOException {
        if (t == null) return "nothing";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case END_OBJECT, END_ARRAY -> "'" + t.asString() + "'";
            case FIELD_NAME -> "name \"" + cut(p.currentName()) + "\"";
            case VALUE_STRING -> "\"" + cut(p.getText()) + "\"";
            default -> cut(p.getText());
        };
    }

    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "… (" + s.length() + " characters)";
    }

    private static Map<String, String> metadata(Path file, JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) throw new IOException(file + ": " + METADATA + " must be an object of strings, got " + describe(p, t));
        Map<String, String> out = new LinkedHashMap<>();
        long chars = 0;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (out.size() == SafeTensors.MAX_METADATA_ENTRIES) {
                throw new IOException(metaWhere(file, key) + " is one more than " + SafeTensors.MAX_METADATA_ENTRIES
                        + " entries, the most a jgrad file may hold (SafeTensors.MAX_METADATA_ENTRIES)");
            }
            t = p.nextToken();
            if (t != JsonToken.VALUE_STRING) throw new IOException(metaWhere(file, key) + " must be a string, got " + describe(p, t));
            String value = p.getText();
            chars += key.length() + value.length();
            if (chars > SafeTensors.MAX_METADATA_CHARS) {
                throw new IOException(metaWhere(file, key) + " brings " + METADATA + " to more than " + SafeTensors.MAX_METADATA_CHARS
                        + " characters (names and values), the most a jgrad file may hold (SafeTensors.MAX_METADATA_CHARS)");
            }
            out.put(key, value);
        }
        return out;
    }

    private static String metaWhere(Path file, String key) {
        return file + ": " + METADATA + " entry '" + cut(key) + "'";
    }

    private static Entry entry(Path file, String name, JsonParser p, JsonToken t, long dataLength) throws IOException {
        if (t != JsonToken.START_OBJECT) throw new IOException(where(file, name) + " must be an object, got " + describe(p, t));
        DType dtype = null;
        int[] shape = null;
        long numel = 1, begin = -1, end = -1;
        boolean offsets = false;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            t = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    dtype = t == JsonToken.VALUE_STRING ? DType.parse(p.getText()) : null;
                    if (dtype == null) {
                        throw new IOException(where(file, name) + " has unknown dtype " + describe(p, t) + " (jgrad reads " + Arrays.toString(DType.values()) + ")");
                    }
                }
                case "shape" -> {
                    if (t != JsonToken.START_ARRAY) throw new IOException(where(file, name) + ": shape must be an array, got " + describe(p, t));
                    int[] dims = new int[8];
                    int rank = 0;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (rank == SafeTensors.MAX_RANK) {
                            throw new IOException(where(file, name) + " has a shape of more than " + SafeTensors.MAX_RANK
                                    + " dimensions, the most jgrad reads (SafeTensors.MAX_RANK)");
                        }
                        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0) {
                            throw new IOException(where(file, name) + " has " + describe(p, t) + " as dimension " + rank + " of its shape"
                                    + ": dimensions must be integers in [0, " + Integer.MAX_VALUE + "]");
                        }
                        if (rank == dims.length) dims = Arrays.copyOf(dims, 2 * rank);
                        dims[rank++] = p.getIntValue();
                    }
                    shape = Arrays.copyOf(dims, rank);
                    numel = 1;
                    for (int d : shape) numel = d != 0 && numel > TOO_MANY / d ? TOO_MANY : numel * d;   // saturates, refused below
                }
                case "data_offsets" -> {
                    long[] be = new long[2];
                    int n = 0;
                    if (t == JsonToken.START_ARRAY) {
                        while ((t = p.nextToken()) == JsonToken.VALUE_NUMBER_INT && n < 2 && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                            be[n++] = p.getLongValue();
                        }
                    }
                    if (n != 2 || t != JsonToken.END_ARRAY) {
                        throw new IOException(where(file, name) + ": data_offsets must be two integers [begin, end]"
                                + (n < 2 ? ", got " + describe(p, t) + (n == 0 ? "" : " after " + n + " integer") : ", got more than two"));
                    }
                    begin = be[0];
                    end = be[1];
                    offsets = true;
                }
                default -> throw new IOException(where(file, name) + " has unknown field '" + cut(field) + "'");
            }
        }
        if (dtype == null || shape == null || !offsets) throw new IOException(where(file, name) + " needs dtype, shape and data_offsets");
        if (begin < 0 || end < begin || end > dataLength || numel * dtype.bytes != end - begin || numel > Integer.MAX_VALUE - 8) {
            String where = where(file, name), off = "[" + begin + "," + end + "]";
            if (begin < 0 || end < begin) throw new IOException(where + " has data_offsets " + off + ": need 0 ≤ begin ≤ end");
            if (end > dataLength) {
                throw new IOException(where + " has data_offsets " + off + " beyond the data region (" + dataLength + " bytes)");
            }
            if (numel * dtype.bytes != end - begin) {
                throw new IOException(where + " has shape " + shapeString(shape) + " and dtype " + dtype + " (" + (numel * dtype.bytes)
                        + " bytes) but data_offsets " + off + " hold " + (end - begin) + " bytes");
            }
            throw new IOException(where + " has " + numel + " elements, more than a jgrad tensor can hold");
        }
        return new Entry(name, dtype, shape, (int) numel, begin, end);
    }

    private static String where(Path file, String name) {
        return file + ": tensor '" + cut(name) + "'";
    }

    private static String shapeString(int[] shape) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) b.append(i == 0 ? "" : ",").append(shape[i]);
        return b.append(']').toString();
    }

    /** Sorted by offset, the tensors must tile the data region: each begins where the previous ends. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLength) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin < pos) {
                throw new IOException(file + ": tensor '" + e.name + "' [" + e.begin + ", " + e.end + ") overlaps tensor '" + prev.name
                        + "' [" + prev.begin + ", " + prev.end + ")");
            }
            if (e.begin > pos) throw new IOException(file + ": " + (e.begin - pos) + " unused bytes at data offset " + pos + " before tensor '" + e.name + "'");
            pos = e.end;
            prev = e;
        }
        if (pos != dataLength) {
            throw new IOException(file + ": " + (dataLength - pos) + " trailing bytes after the last tensor (data region is "
                    + dataLength + " bytes, tensors end at " + pos + ")");
        }
    }

    /** The header of an F32 file holding {@code shapes} back to back, padded with spaces to a multiple of 8 bytes. */
    static byte[] encode(List<Map.Entry<String, int[]>> shapes, Map<String, String> metadata) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (var s : shapes) {
            ObjectNode t = root.putObject(s.getKey());
            t.put("dtype", DType.F32.name());
            var shape = t.putArray("shape");
            long numel = 1;
            for (int d : s.getValue()) {
                shape.add(d);
                numel *= d;
            }
            t.putArray("data_offsets").add(offset).add(offset + 4 * numel);
            offset += 4 * numel;
        }
        byte[] json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
