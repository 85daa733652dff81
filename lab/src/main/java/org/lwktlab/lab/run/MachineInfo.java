package org.lwktlab.lab.run;

import org.lwktlab.lwkt.Affinity;

/**
 * The machine a run happened on: what a reader needs to judge the numbers.
 *
 * @param cores             cores the JVM saw
 * @param jdk               {@code java.runtime.version}
 * @param vm                JVM name
 * @param os                OS name, version, architecture
 * @param pinningSupported  whether threads can be pinned here
 * @param pinned            whether the run's CPU threads were pinned (every trial)
 * @param oversubscribed    whether any trial had more simulated CPUs than cores
 */
public record MachineInfo(int cores, String jdk, String vm, String os, boolean pinningSupported, boolean pinned,
                          boolean oversubscribed) {
    static MachineInfo current(boolean pinned, boolean oversubscribed) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Affinity.supported(), pinned, oversubscribed);
    }
}
