package io.tokman;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A git smart-HTTP server for tests, as GitHub is one for git: git's own
 * {@code git http-backend} (CGI) serving the repositories under a directory, behind HTTP
 * Basic authentication that accepts user {@code x-access-token} with a password the
 * predicate takes (a token the GitHub simulator minted and still takes).
 */
final class GitHttpServer implements AutoCloseable {

	private static final String BACKEND = "/usr/lib/git-core/git-http-backend";

	private final HttpServer server;

	private final Path root;

	private final Predicate<String> tokens;

	GitHttpServer(Path root, Predicate<String> tokens) throws IOException {
		this.root = root;
		this.tokens = tokens;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	String url(String repository) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/" + repository + ".git";
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
				exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"GitHub\"");
				exchange.sendResponseHeaders(401, -1);
				return;
			}
			ProcessBuilder cgi = new ProcessBuilder(BACKEND);
			Map<String, String> env = cgi.environment();
			env.put("GIT_PROJECT_ROOT", this.root.toString());
			env.put("GIT_HTTP_EXPORT_ALL", "1");
			env.put("REQUEST_METHOD", exchange.getRequestMethod());
			env.put("PATH_INFO", exchange.getRequestURI().getPath());
			env.put("QUERY_STRING",
					(exchange.getRequestURI().getRawQuery() != null) ? exchange.getRequestURI().getRawQuery() : "");
			env.put("REMOTE_USER", "x-access-token");
			env.put("REMOTE_ADDR", "127.0.0.1");
			String type = exchange.getRequestHeaders().getFirst("Content-Type");
			env.put("CONTENT_TYPE", (type != null) ? type : "");
			String protocol = exchange.getRequestHeaders().getFirst("Git-Protocol");
			if (protocol != null) {
				env.put("GIT_PROTOCOL", protocol);
			}
			byte[] body = exchange.getRequestBody().readAllBytes();
			env.put("CONTENT_LENGTH", Integer.toString(body.length));
			Process process = cgi.redirectError(ProcessBuilder.Redirect.DISCARD).start();
			try (OutputStream in = process.getOutputStream()) {
				in.write(body);
			}
			byte[] output;
			try (InputStream out = process.getInputStream()) {
				output = out.readAllBytes();
			}
			respond(exchange, output);
		}
	}

	/** Relays the CGI's answer: its headers (Status among them), then its body. */
	private static void respond(HttpExchange exchange, byte[] output) throws IOException {
		int end = indexOf(output, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
		int separator = 4;
		if (end < 0) {
			end = indexOf(output, "\n\n".getBytes(StandardCharsets.ISO_8859_1));
			separator = 2;
		}
		if (end < 0) {
			throw new IOException("git http-backend answered without CGI headers");
		}
		int status = 200;
		for (String line : new String(output, 0, end, StandardCharsets.ISO_8859_1).split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon < 0) {
				continue;
			}
			String name = line.substring(0, colon).trim();
			String value = line.substring(colon + 1).trim();
			if (name.equalsIgnoreCase("Status")) {
				status = Integer.parseInt(value.split(" ")[0]);
			}
			else {
				exchange.getResponseHeaders().add(name, value);
			}
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.write(output, end + separator, output.length - end - separator);
		exchange.sendResponseHeaders(status, (body.size() == 0) ? -1 : body.size());
		if (body.size() > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				body.writeTo(out);
			}
		}
	}

	private boolean authorized(String authorization) {
		if (authorization == null || !authorization.startsWith("Basic ")) {
			return false;
		}
		String credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
				StandardCharsets.UTF_8);
		return credentials.startsWith("x-access-token:")
				&& this.tokens.test(credentials.substring("x-access-token:".length()));
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i + pattern.length <= data.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
