package io.tokman;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws thousands of random requests, raw bytes on a socket so that nothing normalizes
 * them, at a running tokman: whatever the path, method and headers, the answer is never a
 * 5xx, always JSON when it has a body, and an invalid name never reaches GitHub.
 */
class BadInputPropertyTests {

	private static final Pattern OWNER = Pattern.compile("(?=.{1,39}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static ConfigurableApplicationContext tokman;

	private static int port;

	@BeforeContainer
	static void start() {
		String[] args = java.util.Arrays.stream(TestEnvironment.properties(TestEnvironment.newDatabase()))
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		tokman = new SpringApplicationBuilder(TokmanApplication.class, TokmanTest.TestClock.class)
			.run(java.util.stream.Stream
				.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--server.port=0"))
				.toArray(String[]::new));
		port = ((WebServerApplicationContext) tokman).getWebServer().getPort();
	}

	@AfterContainer
	static void stop() {
		tokman.close();
	}

	@Property(tries = 2000)
	void anyRequestGetsANon5xxJsonAnswerAndInvalidNamesNeverReachGitHub(@ForAll("methods") String method,
			@ForAll("segments") String namespace, @ForAll("segments") String repository, @ForAll("tails") String tail,
			@ForAll("accepts") String accept, @ForAll("bodies") String content) throws IOException {
		TestEnvironment.CLOCK.set(TestEnvironment.START);
		String path = "/api/" + namespace + "/" + repository + tail;
		int lookups = TestEnvironment.GITHUB.installationLookups();
		Answer answer = send(method, path, accept, content);
		assertThat(answer.status()).as(method + " " + path).isBetween(200, 499);
		if (!answer.body().isEmpty()) {
			assertThat(answer.contentType()).as(method + " " + path).startsWith("application/json");
			JsonNode body = json.readTree(answer.body());
			assertThat(body.isObject()).isTrue();
		}
		// What follows '?' is the query string, not part of the name.
		String[] segments = path.split("\\?", 2)[0].split("/", -1);
		// An owner alone (/api/packit, /api/packit/) asks for an owner token.
		boolean owner = segments.length <= 4 && (segments.length < 4 || segments[3].isEmpty())
				&& OWNER.matcher(segments[2]).matches();
		if (!owner && !valid(segments[2], (segments.length > 3) ? segments[3] : "")) {
			assertThat(TestEnvironment.GITHUB.installationLookups()).as(method + " " + path).isEqualTo(lookups);
		}
	}

	@Provide
	Arbitrary<String> methods() {
		return Arbitraries.of("GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
				"BREW");
	}

	@Provide
	Arbitrary<String> segments() {
		Arbitrary<String> plain = Arbitraries.strings().withChars("abcXYZ019-_.").ofMinLength(0).ofMaxLength(120);
		Arbitrary<String> hostile = Arbitraries.of("..", ".", "%2F", "a%2Fb", "%00", "%", "%zz", "a;b", "a%20b",
				"%C3%A9", "\u00e9", "a?b=c", "a#b", "~user", "%2e%2e", "..%2F..", "\u0007", "a\tb", "x".repeat(5000),
				"-", "-a", "a-", "...", "....");
		Arbitrary<String> mixed = Combinators.combine(plain, hostile, plain).as((a, b, c) -> a + b + c);
		return Arbitraries.oneOf(plain, plain, hostile, mixed);
	}

	@Provide
	Arbitrary<String> tails() {
		return Arbitraries.of("", "", "", "/", "/invalidate", "/x/y", "//", "/../../etc/passwd");
	}

	/**
	 * What a POST carries: a report, a token of the wrong type, garbage, a body over the
	 * limit, the same in chunks ("chunked:" prefix). Slow bodies have a test of their own
	 * (TokenApiTests), as each takes the report timeout.
	 */
	@Provide
	Arbitrary<String> bodies() {
		String huge = "{\"access_token\": \"" + "A".repeat(20_000) + "\"}";
		return Arbitraries.of("{\"access_token\": \"ghs_bogus\"}", "{\"access_token\": 123}",
				"{\"access_token\": [1, 2]}", "{\"access_token\": \"ghs_bogus\"", "\u0000\u0001", "", huge,
				"chunked:" + huge, "chunked:{\"access_token\": \"ghs_bogus\"}");
	}

	@Provide
	Arbitrary<String> accepts() {
		return Arbitraries.of("*/*", "application/json", "text/html", "application/xml", "garbage/", "");
	}

	private static boolean valid(String namespace, String repository) {
		return OWNER.matcher(namespace).matches() && NAME.matcher(repository).matches() && !repository.matches("\\.+");
	}

	private static Answer send(String method, String path, String accept, String content) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			String body = method.equals("POST") ? content : "";
			boolean chunked = body.startsWith("chunked:");
			String framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length();
			if (chunked) {
				String data = body.substring("chunked:".length());
				StringBuilder chunks = new StringBuilder();
				for (int i = 0; i < data.length(); i += 1000) {
					String chunk = data.substring(i, Math.min(data.length(), i + 1000));
					chunks.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
				}
				body = chunks.append("0\r\n\r\n").toString();
			}
			String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
					+ (accept.isEmpty() ? "" : "Accept: " + accept + "\r\n")
					+ (body.isEmpty() ? "" : "Content-Type: application/json\r\n") + framing + "\r\n\r\n" + body;
			out.write(request.getBytes(StandardCharsets.UTF_8));
			out.flush();
			return Answer.parse(method, socket.getInputStream());
		}
	}

	private record Answer(int status, String contentType, String body) {

		static Answer parse(String method, InputStream in) throws IOException {
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			in.transferTo(all);
			String text = all.toString(StandardCharsets.UTF_8);
			int end = text.indexOf("\r\n\r\n");
			assertThat(end).as("a complete HTTP answer: " + text).isPositive();
			List<String> head = List.of(text.substring(0, end).split("\r\n"));
			int status = Integer.parseInt(head.get(0).split(" ")[1]);
			String contentType = head.stream()
				.filter((line) -> line.toLowerCase().startsWith("content-type:"))
				.map((line) -> line.substring("content-type:".length()).trim())
				.findFirst()
				.orElse("");
			String body = text.substring(end + 4);
			if (head.stream().anyMatch((line) -> line.equalsIgnoreCase("Transfer-Encoding: chunked"))) {
				body = dechunk(body);
			}
			return new Answer(status, contentType, method.equals("HEAD") ? "" : body);
		}

		private static String dechunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (at < chunked.length()) {
				int line = chunked.indexOf("\r\n", at);
				int size = Integer.parseInt(chunked.substring(at, line).trim(), 16);
				if (size == 0) {
					break;
				}
				body.append(chunked, line + 2, line + 2 + size);
				at = line + 2 + size + 2;
			}
			return body.toString();
		}

	}

}
