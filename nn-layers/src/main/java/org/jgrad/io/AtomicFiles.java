package org.jgrad.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once: the content goes to a temporary file in the same directory, is
 * forced to the device, then renamed over the target with an atomic move. A reader sees the old
 * file or the new one, never a mix; a failure (or a crash) before the rename leaves the old file
 * as it was, and the temporary file is deleted when the failure is an exception.
 *
 * <p>A file system that cannot rename atomically makes the write fail with
 * {@link java.nio.file.AtomicMoveNotSupportedException} rather than fall back to a copy.
 *
 * <pre>{@code
 * jshell> AtomicFiles.write(Path.of("out.bin"), ch -> ch.write(ByteBuffer.wrap(bytes)));
 * }</pre>
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Writes the bytes a {@link Body} puts into the channel. */
    @FunctionalInterface
    public interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes {@code target} with what {@code body} writes, atomically. */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        if (abs.getFileName() == null || abs.getParent() == null) {
            throw new IOException("cannot write " + target + ": the path names no file");
        }
        // through a symbolic link to the file it names (as most tools do), not over the link
        if (Files.isSymbolicLink(abs)) abs = abs.toRealPath();
        Path dir = abs.getParent();
        removeStaleTemps(dir, abs.getFileName().toString());
        Path tmp = createTemp(dir, abs.getFileName().toString());
        try {
            // the lock says "being written" to removeStaleTemps in other saves (and processes); it is
            // released before the rename, which some platforms refuse for an open file
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                body.writeTo(ch);
                ch.force(true);
            }
            keepPermissions(abs, tmp);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
        syncDirectory(dir);
    }

    /** A file saved over keeps its permissions (a 0600 model stays private); a new one gets the default mode. */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.exists(target)) return;
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the ACL of the directory applies
        }
    }

    /**
     * Deletes the temporary files of earlier saves of the same target that nobody is writing any
     * more (a process killed with -9 before its rename leaves one; without this they piled up, one
     * per killed save). A temporary file whose writer is alive holds a lock and is left alone.
     */
    private static void removeStaleTemps(Path dir, String name) {
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.startsWith(prefix) && f.endsWith(".tmp") && f.substring(prefix.length(), f.length() - 4).matches("[0-9a-f]{1,16}");
        })) {
            for (Path t : temps) {
                try (FileChannel ch = FileChannel.open(t, StandardOpenOption.WRITE); FileLock lock = ch.tryLock()) {
                    if (lock != null) Files.deleteIfExists(t);
                } catch (OverlappingFileLockException | IOException busyOrGone) {
                    // written by this JVM right now, or gone already: not stale
                }
            }
        } catch (IOException ignored) {
            // cleaning is best effort; the save itself goes on
        }
    }

    /** An empty file next to the target, made by hand: {@code Files.createTempFile} would give the target mode 0600. */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) throw e;
            }
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the original failure is the one to report
        }
    }

    /** Makes the rename itself durable where the platform allows it (Linux does; Windows cannot open a directory). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the file's own content was already forced
        }
    }
}
