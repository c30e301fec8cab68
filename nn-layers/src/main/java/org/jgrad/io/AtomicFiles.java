package org.jgrad.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        /**
         * Writes the file's whole contents.
         *
         * @param channel the temporary file, open for writing
         * @throws IOException if a write fails
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code target} with what {@code body} writes, atomically.
     *
     * @param target the file to write or replace
     * @param body writes the contents
     * @throws IOException when the file cannot be written; the message starts with
     *     {@code "cannot write <target>: "}, says what went wrong in terms of the target (a
     *     directory where a file was expected, a missing or read-only directory, a full disk) and
     *     whether an existing file was kept — never only the name of the hidden temporary file. The
     *     original exception is the cause. ({@link java.nio.file.AtomicMoveNotSupportedException}
     *     is thrown as it is.)
     */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        if (abs.getFileName() == null || abs.getParent() == null) {
            throw new IOException("cannot write " + target + ": the path names no file");
        }
        // through a symbolic link to the file it names (as most tools do), not over the link
        if (Files.isSymbolicLink(abs)) {
            try {
                abs = abs.toRealPath();
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": it is a symbolic link to " + linkTarget(abs)
                        + ", which does not exist or cannot be reached (" + reason(e) + ")", e);
            }
        }
        // checked here: renaming over a directory fails with a message about the temporary file
        if (Files.isDirectory(abs)) throw new IOException("cannot write " + target + ": it is a directory, not a file");
        Path dir = abs.getParent();
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot write " + target + ": " + (Files.exists(dir) ? dir + " is not a directory" : "directory " + dir + " does not exist"));
        }
        boolean existed = Files.exists(abs);
        String kept = existed ? "; the existing file is unchanged" : "; no file was created";
        removeStaleTemps(dir, abs.getFileName().toString());
        Path tmp;
        try {
            tmp = createTemp(dir, abs.getFileName().toString());
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": cannot create a file in " + dir + " (" + reason(e) + ")" + kept, e);
        }
        try {
            // the lock says "being written" to removeStaleTemps in other saves (and processes); it is
            // released before the rename, which some platforms refuse for an open file
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                body.writeTo(ch);
                ch.force(true);
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": writing failed: " + reason(e) + kept, e);
            }
            try {
                keepPermissions(abs, tmp);
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": cannot give the new file the old one's permissions ("
                        + reason(e) + ")" + kept, e);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": the finished file could not be renamed into place ("
                        + reason(e) + ")" + kept, e);
            }
            tmp = null;
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
        syncDirectory(dir);
    }

    /** What went wrong, without the paths a {@link FileSystemException}'s message repeats. */
    private static String reason(IOException e) {
        String r;
        if (e instanceof AccessDeniedException) r = "permission denied";
        else if (e instanceof NoSuchFileException) r = "no such file or directory";
        else if (e instanceof FileSystemException f && f.getReason() != null) r = f.getReason();
        else r = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        // ENOSPC (and EDQUOT) come as a bare "No space left on device" from FileChannel.write
        String lower = r.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("quota exceeded")) r += " (the disk is full)";
        return r;
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "a path";
        }
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
