package org.jgrad.spark;

import java.io.Serializable;
import org.jgrad.nn.Module;

/**
 * Builds the model; Spark ships it to the executors, which call it once per JVM and then load
 * the driver's weights every step. So it must be serializable (a lambda of this interface is, as
 * long as what it captures is) and must build the same architecture every time; its initial
 * weights matter only on the driver.
 *
 * <pre>{@code
 * jshell> ModelFactory mlp = () -> new Sequential(new Linear(2, 64, new SplittableRandom(3)), new ReLU(), new Linear(64, 3));
 * }</pre>
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    Module create();
}
