package org.lwktlab.lab.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lwktlab.lwkt.Affinity;

/**
 * The machine a run happened on: what a reader needs to judge the numbers.
 *
 * @param cores             cores the JVM saw
 * @param cpuModel          the processor, from {@code /proc/cpuinfo} (null where unknown)
 * @param jdk               {@code java.runtime.version}
 * @param vm                JVM name
 * @param os                OS name, version, architecture
 * @param pinningSupported  whether threads can be pinned here
 * @param pinned            whether the run's CPU threads were pinned (every trial)
 * @param oversubscribed    whether any trial had more simulated CPUs than cores
 * @param loadAverage       the system's one-minute load average just before the first trial: work
 *                          other than this run competing for the cores (null where the OS does not say)
 */
public record MachineInfo(int cores, String cpuModel, String jdk, String vm, String os, boolean pinningSupported,
                          boolean pinned, boolean oversubscribed, Double loadAverage) {
    static MachineInfo current(boolean pinned, boolean oversubscribed, Double loadAverage) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Affinity.supported(), pinned, oversubscribed, loadAverage);
    }

    /** The one-minute system load average now, or null where the OS does not provide one. */
    static Double loadAverageNow() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l >= 0 ? l : null;
    }

    /**
     * Whether other work was running when the run started: a load average of half the cores or more,
     * so the designs shared the cores with something else (alike, since trials interleave, but the
     * figures are noisier and lower than on an idle machine).
     */
    public boolean busy() {
        return loadAverage != null && loadAverage >= cores / 2.0;
    }

    private static String readCpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return null;
        }
        try (var lines = Files.lines(info)) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null; // the model is a courtesy; the run does not depend on it
        }
    }
}
