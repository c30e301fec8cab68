/**
 * jgrad's Jupyter kernel: {@link org.jgrad.notebook.Kernel} speaks the Jupyter protocol (through
 * DFLib's jjava-jupyter) and runs cells in a {@link org.jgrad.notebook.Session}, the JDK's JShell
 * with jgrad on a remote JVM that has the Vector API module.
 */
package org.jgrad.notebook;
