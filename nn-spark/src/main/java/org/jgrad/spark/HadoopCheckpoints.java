package org.jgrad.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.RestorableRandom;
import org.jgrad.nn.Module;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.Scheduler;

/**
 * {@link Checkpoint} files on any Hadoop-compatible path (hdfs://, s3a://, file:/…): written to a
 * local temporary file by nn-layers' own code, copied next to the target under a temporary name
 * and renamed over it, so a reader sees the old checkpoint or the new one, never half of one
 * (atomic where the file system's rename is: HDFS and local disks, not S3).
 */
final class HadoopCheckpoints {

    private HadoopCheckpoints() {}

    /** SparkTrainer's shuffling depends on (seed, epoch) alone, so the checkpoint's generator is a fixed one. */
    private static RestorableRandom rng() {
        return new RestorableRandom(0);
    }

    static boolean exists(Configuration conf, String uri) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        return p.getFileSystem(conf).exists(p);
    }

    static void save(Configuration conf, String uri, Module model, Optimizer<?> optimizer, Scheduler scheduler, long epoch, long step)
            throws IOException {
        Path local = Files.createTempFile("jgrad-checkpoint", ".safetensors");
        try {
            Checkpoint.save(local, model, optimizer, scheduler, epoch, step, rng());
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(uri);
            org.apache.hadoop.fs.Path partial = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
            FileSystem fs = target.getFileSystem(conf);
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), partial);
            try {
                FileContext.getFileContext(target.toUri(), conf).rename(partial, target, Options.Rename.OVERWRITE);
            } finally {
                fs.delete(partial, false);      // nothing left when the rename went through
            }
        } finally {
            Files.deleteIfExists(local);
        }
    }

    static Checkpoint.Progress load(Configuration conf, String uri, Module model, Optimizer<?> optimizer, Scheduler scheduler)
            throws IOException {
        Path local = Files.createTempFile("jgrad-checkpoint", ".safetensors");
        try {
            org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
            source.getFileSystem(conf).copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(local.toUri()), true);
            return Checkpoint.load(local, model, optimizer, scheduler, rng());
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
