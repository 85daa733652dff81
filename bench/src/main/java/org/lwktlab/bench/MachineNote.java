package org.lwktlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a reader needs to judge a table: the machine, the JDK, whether threads were pinned, how loaded
 * the machine was before and after, the exact command and the JMH settings.
 *
 * @param cores       cores the JVM saw
 * @param cpuModel    from {@code /proc/cpuinfo}, or "unknown"
 * @param jdk         {@code java.runtime.version} and VM name
 * @param os          OS name, version, architecture
 * @param pinned      whether the run pinned its threads ({@code --pin})
 * @param loadBefore  {@code /proc/loadavg} (1, 5, 15 min) when the run started, or "unknown"
 * @param loadAfter   the same when it ended
 * @param started     ISO time the run started
 * @param command     the command line that produced the table
 * @param settings    forks, warm-up and measurement iterations
 */
public record MachineNote(int cores, String cpuModel, String jdk, String os, boolean pinned, String loadBefore,
                          String loadAfter, String started, String command, String settings) {

    /** The CPU model from /proc/cpuinfo, or "unknown". */
    static String currentCpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** The 1, 5 and 15 minute load averages, or "unknown" off Linux. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String currentJdk() {
        return System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")";
    }

    static String currentOs() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }
}
