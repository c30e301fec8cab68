package org.jgrad.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and checked JSON header of a safetensors file. {@link #parse} accepts a header only
 * if every tensor it lists can be read from a data region of the given length exactly as
 * declared: known dtype, non-negative shape, {@code numel × dtype size = end − begin}, offsets
 * inside the region, tensors back to back with no overlap, gap or trailing bytes. Any problem is
 * an {@link IOException} whose message names the file.
 */
final class Header {

    static final String METADATA = "__metadata__";
    private static final long TOO_MANY = 1L << 40;
    private static final Set<String> FIELDS = Set.of("dtype", "shape", "data_offsets");

    /** Duplicate names and anything after the closing brace (other than whitespace) are errors. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
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

    static Header parse(Path file, byte[] json, long dataLength) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IOException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": header must be a JSON object, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (var f : root.properties()) {
            if (f.getKey().equals(METADATA)) metadata = metadata(file, f.getValue());
            else entries.add(entry(file, f.getKey(), f.getValue(), dataLength));
        }
        checkLayout(file, entries, dataLength);
        return new Header(List.copyOf(entries), metadata);
    }

    private static Map<String, String> metadata(Path file, JsonNode node) throws IOException {
        if (!node.isObject()) throw new IOException(file + ": " + METADATA + " must be an object of strings, got " + node.getNodeType());
        Map<String, String> out = new LinkedHashMap<>();
        for (var f : node.properties()) {
            if (!f.getValue().isTextual()) {
                throw new IOException(file + ": " + METADATA + " entry '" + f.getKey() + "' must be a string, got " + f.getValue().getNodeType());
            }
            out.put(f.getKey(), f.getValue().textValue());
        }
        return out;
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataLength) throws IOException {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) throw new IOException(where + " must be an object, got " + node.getNodeType());
        for (var f : node.properties()) {
            String field = f.getKey();
            if (!FIELDS.contains(field)) throw new IOException(where + " has unknown field '" + field + "'");
        }
        JsonNode dt = node.get("dtype"), sh = node.get("shape"), off = node.get("data_offsets");
        if (dt == null || sh == null || off == null) throw new IOException(where + " needs dtype, shape and data_offsets");
        DType dtype = dt.isTextual() ? DType.parse(dt.textValue()) : null;
        if (dtype == null) throw new IOException(where + " has unknown dtype " + dt + " (jgrad reads " + Arrays.toString(DType.values()) + ")");
        if (!sh.isArray()) throw new IOException(where + ": shape must be an array, got " + sh);
        int[] shape = new int[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || d.bigIntegerValue().signum() < 0 || !d.canConvertToInt()) {
                throw new IOException(where + " has shape " + sh + ": dimensions must be integers in [0, " + Integer.MAX_VALUE + "]");
            }
            shape[i] = d.intValue();
            numel = shape[i] != 0 && numel > TOO_MANY / shape[i] ? TOO_MANY : numel * shape[i];   // saturates, refused below
        }
        if (!off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()
                || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()) {
            throw new IOException(where + ": data_offsets must be two integers [begin, end], got " + off);
        }
        long begin = off.get(0).longValue(), end = off.get(1).longValue();
        if (begin < 0 || end < begin) throw new IOException(where + " has data_offsets " + off + ": need 0 ≤ begin ≤ end");
        if (end > dataLength) {
            throw new IOException(where + " has data_offsets " + off + " beyond the data region (" + dataLength + " bytes)");
        }
        if (numel * dtype.bytes != end - begin) {
            throw new IOException(where + " has shape " + sh + " and dtype " + dtype + " (" + (numel * dtype.bytes)
                    + " bytes) but data_offsets " + off + " hold " + (end - begin) + " bytes");
        }
        if (numel > Integer.MAX_VALUE - 8) throw new IOException(where + " has " + numel + " elements, more than a jgrad tensor can hold");
        return new Entry(name, dtype, shape, (int) numel, begin, end);
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
