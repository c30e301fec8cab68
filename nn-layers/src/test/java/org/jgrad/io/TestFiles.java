package org.jgrad.io;

import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrad.core.Tensor;

/** Test helpers: hand-made safetensors bytes, the PyTorch resources, state-dict snapshots. */
final class TestFiles {

    private TestFiles() {}

    /** A file with header {@code json} (length as given, unpadded) followed by {@code data}. */
    static byte[] raw(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return raw(h.length, h, data);
    }

    static byte[] raw(long declaredLength, byte[] header, byte[] data) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredLength).array());
        out.writeBytes(header);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    /** A PyTorch-made file from src/test/resources/safetensors. */
    static Path resource(String name) {
        try {
            return Path.of(TestFiles.class.getResource("/safetensors/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource safetensors/" + name + " missing", e);
        }
    }

    /** Copies of every value, to check that something was left untouched. */
    static Map<String, float[]> snapshot(Map<String, Tensor> state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, t.toArray()));
        return out;
    }
}
