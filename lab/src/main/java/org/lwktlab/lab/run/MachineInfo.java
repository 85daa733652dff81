package org.lwktlab.lab.run;

import java.io.IOException;
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
 */
public record MachineInfo(int cores, String cpuModel, String jdk, String vm, String os, boolean pinningSupported,
                          boolean pinned, boolean oversubscribed) {
    static MachineInfo current(boolean pinned, boolean oversubscribed) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Affinity.supported(), pinned, oversubscribed);
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
