package dev.halt.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A model API on 127.0.0.1 for the agent tests: answers every prompt with {@link #REPLY}, in the
 * dialects the agents speak -- Anthropic's Messages API, OpenAI's chat completions and Responses
 * API, Gemini's generateContent -- streamed as server-sent events when the request asks for it.
 * Enough for one prompt to complete, nothing more: no tools, no token counting beyond a number.
 * Every request is recorded.
 */
final class StandInApi implements AutoCloseable {
    /** The text of every answer: an agent that prints it completed its prompt through this server. */
    static final String REPLY = "PONG-FROM-STAND-IN";

    /** One request: method, path with query, the request's Host header, its body. */
    record Request(String method, String path, String host, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    StandInApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var path = exchange.getRequestURI().toString();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Host"), body));
            var route = exchange.getRequestURI().getPath();
            boolean stream = body.replace(" ", "").contains("\"stream\":true");
            if (exchange.getRequestMethod().equals("GET") && route.endsWith("/models")) {
                json(exchange, 200, """
                    {"object":"list","data":[{"id":"stand-in","object":"model","created":0,"owned_by":"stand-in"}]}""");
            } else if (route.endsWith("/messages")) {
                anthropic(exchange, stream);
            } else if (route.endsWith("/messages/count_tokens")) {
                json(exchange, 200, "{\"input_tokens\":1}");
            } else if (route.endsWith("/chat/completions")) {
                chatCompletions(exchange, stream);
            } else if (route.endsWith("/responses") && exchange.getRequestMethod().equals("POST")) {
                responses(exchange);
            } else if (route.contains(":streamGenerateContent")) {
                events(exchange, List.of(new Event(null, geminiChunk(REPLY))));
            } else if (route.contains(":generateContent")) {
                // Gemini CLI's model router asks a small model for a JSON verdict before the prompt.
                json(exchange, 200, geminiChunk("{\\\"complexity_reasoning\\\":\\\"stand-in\\\",\\\"complexity_score\\\":10,"
                    + "\\\"reasoning\\\":\\\"stand-in\\\",\\\"model_choice\\\":\\\"flash\\\"}"));
            } else if (route.contains(":countTokens")) {
                json(exchange, 200, "{\"totalTokens\":1}");
            } else {
                json(exchange, 404, "{\"error\":{\"type\":\"not_found\",\"message\":\"the stand-in API has no " + route + "\"}}");
            }
        }
    }

    private record Event(String name, String data) {}

    private static void anthropic(HttpExchange exchange, boolean stream) throws IOException {
        if (!stream) {
            json(exchange, 200, """
                {"id":"msg_stand_in","type":"message","role":"assistant","model":"stand-in","content":[{"type":"text","text":"%s"}],\
                "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":3}}""".formatted(REPLY));
            return;
        }
        events(exchange, List.of(
            new Event("message_start", """
                {"type":"message_start","message":{"id":"msg_stand_in","type":"message","role":"assistant","model":"stand-in",\
                "content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":0}}}"""),
            new Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
            new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + REPLY + "\"}}"),
            new Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
            new Event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}"),
            new Event("message_stop", "{\"type\":\"message_stop\"}")));
    }

    private static void chatCompletions(HttpExchange exchange, boolean stream) throws IOException {
        var usage = "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":3,\"total_tokens\":4}";
        if (!stream) {
            json(exchange, 200, "{\"id\":\"chatcmpl-stand-in\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"stand-in\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + REPLY + "\"},\"finish_reason\":\"stop\"}],"
                + usage + "}");
            return;
        }
        var head = "{\"id\":\"chatcmpl-stand-in\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"stand-in\",";
        events(exchange, List.of(
            new Event(null, head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + REPLY + "\"},\"finish_reason\":null}]}"),
            new Event(null, head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]," + usage + "}"),
            new Event(null, "[DONE]")));
    }

    private static void responses(HttpExchange exchange) throws IOException {
        var item = "{\"id\":\"msg_stand_in\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
            + "\"content\":[{\"type\":\"output_text\",\"text\":\"" + REPLY + "\",\"annotations\":[]}]}";
        var response = "{\"id\":\"resp_stand_in\",\"object\":\"response\",\"created_at\":0,\"model\":\"stand-in\",";
        events(exchange, List.of(
            new Event("response.created", "{\"type\":\"response.created\",\"response\":" + response + "\"status\":\"in_progress\",\"output\":[]}}"),
            new Event("response.output_item.added", "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":"
                + "{\"id\":\"msg_stand_in\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}"),
            new Event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_stand_in\","
                + "\"output_index\":0,\"content_index\":0,\"delta\":\"" + REPLY + "\"}"),
            new Event("response.output_item.done", "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + item + "}"),
            new Event("response.completed", "{\"type\":\"response.completed\",\"response\":" + response
                + "\"status\":\"completed\",\"output\":[" + item + "],\"usage\":{\"input_tokens\":1,\"output_tokens\":3,\"total_tokens\":4,"
                + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens_details\":{\"reasoning_tokens\":0}}}}")));
    }

    private static String geminiChunk(String text) {
        return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"" + text + "\"}]},\"finishReason\":\"STOP\",\"index\":0}],"
            + "\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":3,\"totalTokenCount\":4},\"modelVersion\":\"stand-in\"}";
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void events(HttpExchange exchange, List<Event> events) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (var event : events) {
            var text = (event.name() == null ? "" : "event: " + event.name() + "\n") + "data: " + event.data() + "\n\n";
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
