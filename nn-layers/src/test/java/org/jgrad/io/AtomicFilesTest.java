package org.jgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.AbstractMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    /** kill -9 during a save left a temporary file that nothing removed; 17 of 27 kills piled up. */
    @Test
    void aLaterSaveRemovesTheTemporaryFilesOfKilledSavesButNotOneBeingWritten() throws IOException {
        Path target = dir.resolve("model.bin");
        Path stale1 = Files.write(dir.resolve(".model.bin.1f2e3d4c5b6a7988.tmp"), new byte[100]);
        Path stale2 = Files.write(dir.resolve(".model.bin.abc.tmp"), new byte[7]);
        Path other = Files.write(dir.resolve(".other.bin.1234.tmp"), new byte[1]);          // another target's
        Path busy = Files.write(dir.resolve(".model.bin.77.tmp"), new byte[1]);
        try (var ch = java.nio.channels.FileChannel.open(busy, java.nio.file.StandardOpenOption.WRITE); var lock = ch.lock()) {
            AtomicFiles.write(target, c -> c.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
            assertThat(stale1).doesNotExist();
            assertThat(stale2).doesNotExist();
            assertThat(busy).exists();                                                        // its writer is alive
            assertThat(other).exists();
        }
    }

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path p = dir.resolve("a.bin");
        Files.writeString(p, "old");
        AtomicFiles.write(p, ch -> ch.write(ByteBuffer.wrap("new".getBytes())));
        assertThat(Files.readString(p)).isEqualTo("new");
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(p);
        }
    }

    @Test
    void failureMidWriteLeavesTheOldFileReadable() throws IOException {
        Path p = dir.resolve("m.safetensors");
        SafeTensors.write(p, Map.of("w", Tensor.ones(3)), Map.of());
        byte[] before = Files.readAllBytes(p);
        assertThatThrownBy(() -> AtomicFiles.write(p, ch -> {
            ch.write(ByteBuffer.wrap(new byte[1000]));
            throw new IOException("disk full (simulated)");
        })).hasMessage("cannot write " + p + ": writing failed: disk full (simulated); the existing file is unchanged")
                .hasRootCauseMessage("disk full (simulated)");
        assertThatThrownBy(() -> AtomicFiles.write(p, ch -> {
            ch.write(ByteBuffer.wrap(new byte[10]));
            throw new IllegalStateException("crash (simulated)");
        })).hasMessage("crash (simulated)");
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
        assertThat(SafeTensors.read(p).tensors().get("w").toArray()).containsExactly(1, 1, 1);
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(p);
        }
    }

    /**
     * A folder passed as the file, a full disk, a parent that is a file or is missing: each said
     * only "/dir/.name.1f2e….tmp -> /dir/name: Is a directory", "No space left on device" or
     * "/dir/.name.….tmp: Not a directory" — the hidden temporary file, or no path at all.
     */
    @Test
    void failuresNameTheTargetAndSayWhatHappened() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("model.safetensors"));
        Files.writeString(folder.resolve("inside"), "x");
        assertThatThrownBy(() -> SafeTensors.write(folder, Map.of("w", Tensor.ones(2)), Map.of()))
                .isInstanceOf(IOException.class).hasMessage("cannot write " + folder + ": it is a directory, not a file");
        Path empty = Files.createDirectory(dir.resolve("empty.safetensors"));
        assertThatThrownBy(() -> SafeTensors.write(empty, Map.of("w", Tensor.ones(2)), Map.of()))
                .hasMessage("cannot write " + empty + ": it is a directory, not a file");
        assertThat(empty).isEmptyDirectory();

        Path fresh = dir.resolve("new.safetensors");
        assertThatThrownBy(() -> AtomicFiles.write(fresh, ch -> {
            ch.write(ByteBuffer.wrap(new byte[4096]));
            throw new IOException("No space left on device");      // what FileChannel.write says for ENOSPC
        })).isInstanceOf(IOException.class)
                .hasMessage("cannot write " + fresh + ": writing failed: No space left on device (the disk is full); no file was created");
        assertThat(fresh).doesNotExist();

        Path file = Files.writeString(dir.resolve("plain.txt"), "not a directory");
        Path under = file.resolve("m.safetensors");
        assertThatThrownBy(() -> SafeTensors.write(under, Map.of("w", Tensor.ones(2)), Map.of()))
                .hasMessage("cannot write " + under + ": " + file + " is not a directory");
        Path missing = dir.resolve("no/such/dir/m.safetensors");
        assertThatThrownBy(() -> SafeTensors.write(missing, Map.of("w", Tensor.ones(2)), Map.of()))
                .hasMessage("cannot write " + missing + ": directory " + missing.getParent() + " does not exist");
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactlyInAnyOrder(folder, empty, file);
        }
    }

    @Test
    void aMapThatFailsWhileBeingWrittenLeavesTheOldFile() throws IOException {
        Path p = dir.resolve("m.safetensors");
        SafeTensors.write(p, Map.of("w", Tensor.ones(3)), Map.of());
        byte[] before = Files.readAllBytes(p);
        Map<String, Tensor> good = new LinkedHashMap<>();
        good.put("a", Tensor.zeros(2));
        good.put("b", Tensor.zeros(2));
        Map<String, Tensor> failing = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Tensor>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Tensor>> iterator() {
                        Iterator<Entry<String, Tensor>> it = good.entrySet().iterator();
                        return new Iterator<>() {
                            int n;

                            @Override
                            public boolean hasNext() {
                                return true;
                            }

                            @Override
                            public Entry<String, Tensor> next() {
                                if (n++ == 2) throw new IllegalStateException("source failed (simulated)");
                                return it.next();
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return 3;
                    }
                };
            }
        };
        assertThatThrownBy(() -> SafeTensors.write(p, failing, Map.of())).hasMessage("source failed (simulated)");
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
    }

    @Test
    void aReadOnlyDirectoryFailsAndKeepsTheOldFile() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("ro"));
        Path p = sub.resolve("m.safetensors");
        SafeTensors.write(p, Map.of("w", Tensor.ones(3)), Map.of());
        byte[] before = Files.readAllBytes(p);
        Assumptions.assumeTrue(sub.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Files.setPosixFilePermissions(sub, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
        try {
            Assumptions.assumeFalse(Files.isWritable(sub), "running as root: permissions are not enforced");
            assertThatThrownBy(() -> SafeTensors.write(p, Map.of("w", Tensor.zeros(3)), Map.of())).isInstanceOf(IOException.class)
                    .hasMessage("cannot write " + p + ": cannot create a file in " + sub + " (permission denied); the existing file is unchanged");
            assertThat(Files.readAllBytes(p)).isEqualTo(before);
        } finally {
            Files.setPosixFilePermissions(sub, EnumSet.allOf(PosixFilePermission.class));
        }
    }

    @Test
    void newFilesGetTheUsualPermissionsNotATemporaryFilesOnes() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path p = dir.resolve("n.safetensors");
        SafeTensors.write(p, Map.of("w", Tensor.ones(1)), Map.of());
        Path q = Files.createFile(dir.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(p)).isEqualTo(Files.getPosixFilePermissions(q));
    }

    /** Saving over a file changed 0600 to 0644, replaced a symlink by a plain file, and "/" gave a NullPointerException. */
    @Test
    void savingOverAFileKeepsItsModeWritesThroughALinkAndRefusesAPathWithoutAFile() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path p = Files.write(dir.resolve("private.bin"), new byte[] {0});
        Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Files.setPosixFilePermissions(p, ownerOnly);
        AtomicFiles.write(p, c -> c.write(ByteBuffer.wrap(new byte[] {1, 2})));
        assertThat(Files.readAllBytes(p)).containsExactly(1, 2);
        assertThat(Files.getPosixFilePermissions(p)).isEqualTo(ownerOnly);

        Path link = Files.createSymbolicLink(dir.resolve("latest.bin"), p);
        AtomicFiles.write(link, c -> c.write(ByteBuffer.wrap(new byte[] {3})));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readAllBytes(p)).containsExactly(3);

        assertThatThrownBy(() -> AtomicFiles.write(Path.of("/"), c -> { }))
                .isInstanceOf(IOException.class).hasMessage("cannot write /: the path names no file");
    }
}
