package io.tokman.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a worker's report of an invalid token: {@code {"access_token": "..."}}, at most
 * {@value #MAX_BODY} bytes, sent within the report timeout, with a token no longer than
 * any GitHub token ({@value #MAX_TOKEN} characters). Read only once the caller is known
 * to be allowed, and bounded before a byte is parsed, so that no body can exhaust memory.
 */
final class ReportReader {

	static final int MAX_BODY = 8 * 1024;

	static final int MAX_TOKEN = 2048;

	private static final String FORM = "Send the invalid token as {\"access_token\": \"...\"}";

	private final JsonMapper json = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxDocumentLength(MAX_BODY)
				.maxStringLength(MAX_BODY)
				.maxNestingDepth(8)
				.build())
			.build())
		.build();

	private final Duration timeout;

	ReportReader(Duration timeout) {
		this.timeout = timeout;
	}

	/** The reported token. */
	String read(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > MAX_BODY) {
			throw new ReportTooLargeException(MAX_BODY);
		}
		JsonNode report;
		try {
			report = this.json.readTree(body(request.getInputStream()));
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException(FORM);
		}
		JsonNode token = (report != null) ? report.get("access_token") : null;
		if (token == null || !token.isString() || token.asString().isBlank()) {
			throw new InvalidRequestException(FORM);
		}
		if (token.asString().length() > MAX_TOKEN) {
			throw new InvalidRequestException(
					"The reported token is longer than any GitHub token (" + MAX_TOKEN + " characters at most)");
		}
		return token.asString();
	}

	private byte[] body(InputStream in) throws IOException {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] buffer = new byte[1024];
		for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
			body.write(buffer, 0, read);
			if (body.size() > MAX_BODY) {
				throw new ReportTooLargeException(MAX_BODY);
			}
			if (System.nanoTime() > deadline) {
				throw new ReportTooSlowException(this.timeout);
			}
		}
		return body.toByteArray();
	}

}
