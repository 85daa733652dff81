package org.lwktlab.lab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium driven over the DevTools protocol (JDK HTTP client + WebSocket, Jackson for
 * the JSON): loads a page, collects console errors, uncaught exceptions, log errors and every network
 * request, evaluates JavaScript in the page and takes a full-page screenshot. The browser process and
 * its profile directory are removed on {@link #close()}.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<String> loads = new LinkedBlockingQueue<>();

    /** The browser binary: $CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH. */
    static Path find() {
        String env = System.getenv("CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Path.of(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    HeadlessChromium(Path binary) throws Exception {
        profile = Files.createTempDirectory("lab-chromium-");
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1200,900", "about:blank")
                .redirectErrorStream(true).start();
        try {
            connect();
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private void connect() throws Exception {
        String ws = devToolsUrl();
        int port = URI.create(ws).getPort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body());
        String page = null;
        for (JsonNode t : targets) {
            if ("page".equals(t.path("type").asText())) {
                page = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (page == null) {
            throw new IllegalStateException("chromium offered no page target: " + targets);
        }
        socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(page), new Listener())
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
            call(domain + ".enable", JSON.createObjectNode());
        }
    }

    /** Reads the browser's output until it says where DevTools listens; keeps draining it afterwards. */
    private String devToolsUrl() throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread drain = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!url.isDone()) {
                        seen.append(line).append('\n');
                        int at = line.indexOf("ws://");
                        if (line.contains("DevTools listening on") && at >= 0) {
                            url.complete(line.substring(at).trim());
                        }
                    }
                }
                url.completeExceptionally(new IllegalStateException("chromium exited before DevTools listened:\n" + seen));
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        return url.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder frame = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(frame.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        events.add(msg);
                        if ("Page.loadEventFired".equals(msg.path("method").asText())) {
                            loads.add("load");
                        }
                    }
                } catch (IOException e) {
                    events.add(JSON.createObjectNode().put("method", "test.badFrame").put("text", e.toString()));
                }
                frame.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    /** Calls a DevTools method and returns its {@code result}; a protocol error fails with its message. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** Opens {@code file} and waits for its load event. */
    void open(Path file) throws Exception {
        loads.clear();
        call("Page.navigate", JSON.createObjectNode().put("url", file.toUri().toString()));
        if (loads.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS) == null) {
            throw new IllegalStateException("page did not finish loading within " + TIMEOUT.toSeconds() + " s: " + file);
        }
    }

    /** Evaluates {@code expression} in the page and returns its value as JSON (the expression returns a JSON string). */
    JsonNode evaluateJson(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("script threw: " + r.get("exceptionDetails"));
        }
        return JSON.readTree(r.path("result").path("value").asText());
    }

    /** A screenshot of the whole page, {@code width} CSS pixels wide. */
    void screenshot(Path png, int width) throws Exception {
        JsonNode m = call("Page.getLayoutMetrics", JSON.createObjectNode());
        int height = (int) Math.ceil(m.path("cssContentSize").path("height").asDouble(900));
        ObjectNode clip = JSON.createObjectNode().put("x", 0).put("y", 0).put("width", width).put("height", height)
                .put("scale", 1);
        ObjectNode p = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        p.set("clip", clip);
        JsonNode r = call("Page.captureScreenshot", p);
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
    }

    /** Console errors, uncaught exceptions and error log entries seen so far, one line each. */
    List<String> errors() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            switch (method) {
                case "Runtime.exceptionThrown" -> out.add("exception: " + p.path("exceptionDetails"));
                case "Runtime.consoleAPICalled" -> {
                    String type = p.path("type").asText();
                    if (type.equals("error") || type.equals("assert")) {
                        out.add("console." + type + ": " + p.path("args"));
                    }
                }
                case "Log.entryAdded" -> {
                    if ("error".equals(p.path("entry").path("level").asText())) {
                        out.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                    }
                }
                case "Network.loadingFailed" -> out.add("load failed: " + p.path("errorText").asText());
                case "test.badFrame" -> out.add("unreadable DevTools frame: " + e.path("text").asText());
                default -> { }
            }
        }
        return out;
    }

    /** Every URL the page requested. */
    List<String> requests() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            if ("Network.requestWillBeSent".equals(e.path("method").asText())) {
                out.add(e.path("params").path("request").path("url").asText());
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            if (socket != null) {
                socket.abort();
            }
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
