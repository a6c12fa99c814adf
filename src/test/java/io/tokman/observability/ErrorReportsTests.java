package io.tokman.observability;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentry's envelopes, as a local endpoint receives them: an unexpected failure and
 * GitHub's rejection of the App's JWT arrive, with the credentials they carried taken
 * out; without a DSN nothing is sent.
 */
class ErrorReportsTests {

	private static final String TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a.x-y_z";

	private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiI0MjQyIn0.c2lnbmF0dXJl";

	@Test
	void failuresAndRejectionsArriveWithoutTheCredentialsTheyCarried() throws Exception {
		try (MockWebServer sentry = new MockWebServer()) {
			sentry.enqueue(new MockResponse.Builder().code(200).build());
			sentry.enqueue(new MockResponse.Builder().code(200).build());
			sentry.start(InetAddress.getLoopbackAddress(), 0);
			String dsn = "http://public@127.0.0.1:" + sentry.getPort() + "/42";
			try (ErrorReports reports = new ErrorReports(new SentryProperties(dsn, "test"), "1.2.3")) {
				reports.unexpected(new IllegalStateException("failed with " + TOKEN + " and JWT " + JWT));
				reports.appRejected("GitHub answered 401 to Authorization: Bearer bench-key-0123456789 for " + JWT);
				reports.flush(10_000);
			}
			List<String> envelopes = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				RecordedRequest envelope = sentry.takeRequest(10, TimeUnit.SECONDS);
				assertThat(envelope).as("envelope " + i).isNotNull();
				assertThat(envelope.getUrl().encodedPath()).isEqualTo("/api/42/envelope/");
				envelopes.add(body(envelope));
			}
			String sent = String.join("\n", envelopes);
			assertThat(sent).contains("IllegalStateException", "failed with <redacted> and JWT <redacted>",
					"GitHub answered 401", "tokman@1.2.3");
			assertThat(sent).doesNotContain("ghs_16C7e42F", "eyJhbGciOiJSUzI1NiJ9", "bench-key-0123456789");
		}
	}

	@Test
	void withoutADsnNothingIsSentAnywhere() {
		try (ErrorReports reports = new ErrorReports(new SentryProperties(null, null), "1.2.3")) {
			reports.unexpected(new IllegalStateException("nobody hears this"));
			assertThat(io.sentry.Sentry.isEnabled()).isFalse();
		}
	}

	@Test
	void textLosesEveryKindOfCredentialAndKeepsTheRest() {
		String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----";
		assertThat(Secrets.scrub("a " + TOKEN + " b ghp_abcdefghijklmnop c github_pat_11ABCDEFG0123456789 d " + JWT
				+ " e " + pem + " f token abcdefgh12345 g"))
			.isEqualTo("a <redacted> b <redacted> c <redacted> d <redacted> e <redacted> f <redacted> g");
		assertThat(Secrets.scrub("packit/ogr answered 502")).isEqualTo("packit/ogr answered 502");
	}

	private static String body(RecordedRequest request) throws IOException {
		byte[] bytes = request.getBody().toByteArray();
		InputStream in = "gzip".equals(request.getHeaders().get("Content-Encoding"))
				? new GZIPInputStream(new ByteArrayInputStream(bytes)) : new ByteArrayInputStream(bytes);
		return new String(in.readAllBytes(), StandardCharsets.UTF_8);
	}

}
