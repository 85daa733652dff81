package org.lwktlab.bench;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * The report's tables for the research benchmarks ({@code org.lwktlab.bench.research}): provenance
 * overhead against the same paths with provenance compiled out, and chains against one round trip per
 * step. Every ratio divides two medians of one run, as in {@link BenchReport}.
 */
final class ResearchTables {
    static final String PROVENANCE = "ProvenanceOverhead";
    static final String CHAINS = "Chains";

    private ResearchTables() {}

    private static Optional<Measured> find(List<Measured> results, String benchmark, String key, String value) {
        return results.stream().filter(m -> m.benchmark().equals(benchmark) && m.has(key, value)).findFirst();
    }

    private static Set<String> values(List<Measured> results, String clazz, String key) {
        Set<String> v = new LinkedHashSet<>();
        results.stream().filter(m -> BenchReport.className(m).equals(clazz)).forEach(m -> v.add(m.params().get(key)));
        return v;
    }

    static void provenance(List<Measured> results, StringBuilder sb) {
        Set<String> cpus = values(results, PROVENANCE, "cpus");
        if (cpus.isEmpty()) {
            return;
        }
        sb.append("## Message provenance (`ProvenanceOverhead`)\n\n");
        sb.append("Per request/reply round trip between two LWKT threads (lower is better): wall-clock ns, and CPU ns "
                + "of the kernel's CPU threads (steadier on a loaded machine). `compiledOut` runs with "
                + "`-Dlwkt.provenance.disabled=true`, so the hooks fold away: `off / compiledOut` is what provenance "
                + "costs when it is off (the claim: nothing).\n\n");
        sb.append("| cpus | figure | compiledOut | off | on | off / compiledOut | on / off |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|\n");
        for (String c : cpus) {
            Optional<Measured> base = find(results, PROVENANCE + ".compiledOut", "cpus", c);
            Optional<Measured> off = find(results, PROVENANCE + ".off", "cpus", c);
            Optional<Measured> on = find(results, PROVENANCE + ".on", "cpus", c);
            provenanceRow(sb, c, "wall ns", base.map(Measured::score), off.map(Measured::score), on.map(Measured::score),
                    BenchReport::nanos);
            provenanceRow(sb, c, "CPU ns", base.map(ResearchTables::cpu), off.map(ResearchTables::cpu),
                    on.map(ResearchTables::cpu), BenchReport::nanos);
            provenanceRow(sb, c, "B/op", base.map(Measured::allocPerOp), off.map(Measured::allocPerOp),
                    on.map(Measured::allocPerOp), BenchReport::bytes);
        }
        sb.append('\n');
    }

    private static double cpu(Measured m) {
        return m.secondary(Measured.CPU_NS_PER_OP);
    }

    private static void provenanceRow(StringBuilder sb, String cpus, String figure, Optional<Double> base,
                                      Optional<Double> off, Optional<Double> on,
                                      DoubleFunction<String> format) {
        double b = base.orElse(Double.NaN);
        double f = off.orElse(Double.NaN);
        double o = on.orElse(Double.NaN);
        sb.append("| ").append(cpus).append(" | ").append(figure).append(" | ").append(format.apply(b)).append(" | ")
                .append(format.apply(f)).append(" | ").append(format.apply(o)).append(" | ")
                .append(figure.equals("B/op") ? "" : BenchReport.ratio(f, b)).append(" | ")
                .append(figure.equals("B/op") ? "" : BenchReport.ratio(o, f)).append(" |\n");
    }

    static void chains(List<Measured> results, StringBuilder sb) {
        Set<String> steps = values(results, CHAINS, "steps");
        if (steps.isEmpty()) {
            return;
        }
        sb.append("## Syslet-style chains (`Chains`)\n\n");
        sb.append("ns per whole operation of `steps` messages (lower is better): one chain against one round trip "
                + "per step, for a client outside the kernel (`domsg` each step vs `dochain`) and for an LWKT "
                + "thread (`sendmsg` + reply each step vs `sendchain`).\n\n");
        sb.append("| steps | client | per step | chain | chain / per step | CPU ns per step | CPU ns chain | CPU ratio "
                + "| B/op (per step) | B/op (chain) |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        String[][] pairs = {{"outside", "domsgPerStep", "dochain"}, {"LWKT thread", "sendmsgPerStep", "sendchain"}};
        for (String s : steps) {
            for (String[] p : pairs) {
                Optional<Measured> per = find(results, CHAINS + "." + p[1], "steps", s);
                Optional<Measured> ch = find(results, CHAINS + "." + p[2], "steps", s);
                if (per.isEmpty() && ch.isEmpty()) {
                    continue;
                }
                double a = per.map(Measured::score).orElse(Double.NaN);
                double b = ch.map(Measured::score).orElse(Double.NaN);
                double ca = per.map(ResearchTables::cpu).orElse(Double.NaN);
                double cb = ch.map(ResearchTables::cpu).orElse(Double.NaN);
                sb.append("| ").append(s).append(" | ").append(p[0]).append(" | ").append(BenchReport.nanos(a))
                        .append(" | ").append(BenchReport.nanos(b)).append(" | ").append(BenchReport.ratio(b, a))
                        .append(" | ").append(BenchReport.nanos(ca)).append(" | ").append(BenchReport.nanos(cb))
                        .append(" | ").append(BenchReport.ratio(cb, ca)).append(" | ")
                        .append(BenchReport.bytes(per.map(Measured::allocPerOp).orElse(Double.NaN))).append(" | ")
                        .append(BenchReport.bytes(ch.map(Measured::allocPerOp).orElse(Double.NaN))).append(" |\n");
            }
        }
        sb.append('\n');
    }
}
