package org.jgrad.spark;

import java.io.Serializable;
import org.jgrad.nn.Loss;

/**
 * Builds the loss, on the driver (validation) and once per executor JVM (training shards).
 *
 * <pre>{@code
 * jshell> LossFactory ce = CrossEntropyLoss::new;
 * }</pre>
 */
@FunctionalInterface
public interface LossFactory extends Serializable {
    Loss create();
}
