package io.tokman.token;

import java.net.SocketTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tokman.github.GitHubExceptions;
import io.tokman.github.Permissions;
import io.tokman.observability.ErrorReports;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * How each failure reaches the client: the status ogr's client reads, and the original's
 * JSON body.
 */
@WebMvcTest(controllers = TokenController.class, properties = "tokman.access.namespaces=packit,Someone-Else")
@Import(ControllerSlice.class)
@ExtendWith(OutputCaptureExtension.class)
class TokenControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private TokenService tokens;

	@MockitoBean
	private ErrorReports reports;

	@Test
	void tokenIsAnsweredWithTheNamesAsTheCallerSpelledThem() {
		given(this.tokens.serve(
				eq(TokenScope.repository(new RepositoryName("Packit", "OGR"), Permissions.INSTALLATION, false)),
				eq(Duration.ZERO), any()))
			.willReturn(new Handout("ghs_t", Instant.parse("2026-11-25T13:00:00Z"), Handout.Outcome.SERVED,
					Handout.fingerprint("ghs_t"), null, null));
		assertThat(this.mvc.get().uri("/api/Packit/OGR")).hasStatusOk()
			.hasContentType(MediaType.APPLICATION_JSON)
			.hasHeader("Cache-Control", "no-store")
			.bodyJson()
			.isStrictlyEqualTo("{\"namespace\":\"Packit\",\"repository\":\"OGR\",\"access_token\":\"ghs_t\","
					+ "\"expires_at\":\"2026-11-25T13:00:00Z\"}");
	}

	@Test
	void gitHubUnreachableIs502SoOgrRetries() {
		given(this.tokens.serve(any(), any(), any()))
			.willThrow(GitHubExceptions.unavailable(new ConnectException("refused")));
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.BAD_GATEWAY)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.startsWith("Failed to retrieve a token: GitHub did not answer");
	}

	@Test
	void databaseNotAnsweringIs503WithRetryAfterAndNoTrace() {
		given(this.tokens.serve(any(), any(), any()))
			.willThrow(new DatabaseUnavailableException("no answer within 2000 ms", Duration.ofSeconds(1)))
			.willThrow(new DataAccessResourceFailureException("Connection refused"));
		for (int i = 0; i < 2; i++) {
			assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
				.hasHeader("Retry-After", "1")
				.bodyJson()
				.isStrictlyEqualTo("{\"error\":\"Failed to retrieve a token: tokman's database does not answer; "
						+ "try again shortly\"}");
		}
	}

	@Test
	void gitHubTimingOutIs504() {
		given(this.tokens.serve(any(), any(), any()))
			.willThrow(GitHubExceptions.unavailable(new SocketTimeoutException("timeout")));
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.GATEWAY_TIMEOUT);
	}

	@Test
	void gitHubErrorAnswerIs502() {
		given(this.tokens.serve(any(), any(), any())).willThrow(GitHubExceptions.failed(500, "GitHub answered 500"));
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.BAD_GATEWAY)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\":\"Failed to retrieve a token: GitHub answered 500\"}");
	}

	@Test
	void gitHubRejectingTheAppJwtIs502AndTheLogSaysWhatIsMisconfigured(CapturedOutput output) {
		given(this.tokens.serve(any(), any(), any())).willThrow(GitHubExceptions.failed(401,
				"GitHub answered 401 to the installation lookup: A JSON web token could not be decoded"));
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.BAD_GATEWAY);
		assertThat(output).contains("GitHub rejected the App's JWT: check GITHUB_APP_ID and that "
				+ "GITHUB_APP_PRIVATE_KEY is that App's current key");
		then(this.reports).should()
			.appRejected(contains("GitHub answered 401 to the installation lookup: A JSON web token could not be "
					+ "decoded. GitHub rejected the App's JWT"));
	}

	@Test
	void gitHubRateLimitIs503WithRetryAfter() {
		given(this.tokens.serve(any(), any(), any()))
			.willThrow(GitHubExceptions.rateLimited(Duration.ofMillis(29_500)));
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasHeader("Retry-After", "30")
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.startsWith("Failed to retrieve a token: GitHub's rate limit is exhausted");
	}

	@Test
	void namespaceNotServedIs403AndNeverReachesTheService() {
		assertThat(this.mvc.get().uri("/api/someone/repo")).hasStatus(HttpStatus.FORBIDDEN)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\":\"This tokman does not serve the namespace someone\"}");
		verifyNoInteractions(this.tokens);
	}

	@Test
	void reportOutsideTheNamespacesServedIsRefusedBeforeItsBodyIsRead() {
		byte[] huge = ("{\"access_token\":\"" + "A".repeat(1_000_000) + "\"}").getBytes();
		assertThat(
				this.mvc.post().uri("/api/other/ogr/invalidate").contentType(MediaType.APPLICATION_JSON).content(huge))
			.hasStatus(HttpStatus.FORBIDDEN);
		verifyNoInteractions(this.tokens);
	}

	@Test
	void reportLargerThanAnyValidOneIs413() {
		byte[] huge = ("{\"access_token\":\"" + "A".repeat(1_000_000) + "\"}").getBytes();
		assertThat(
				this.mvc.post().uri("/api/packit/ogr/invalidate").contentType(MediaType.APPLICATION_JSON).content(huge))
			.hasStatus(HttpStatus.CONTENT_TOO_LARGE)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\":\"The request body is larger than 8192 bytes\"}");
		verifyNoInteractions(this.tokens);
	}

	@Test
	void tokenTooNewToReplaceIs503WithRetryAfterRoundedUp() {
		// Reports are read without blocking, which MockMvc cannot drive: the exception
		// reaches the error mapping from the plain endpoint here, and TokenApiTests
		// sends reports over a socket.
		given(this.tokens.serve(any(), any(), any())).willThrow(new TokenTooNewException(Duration.ofMillis(5_200)));
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasHeader("Retry-After", "6")
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.contains("minted moments ago");
	}

	@Test
	void renewalTakingTooLongIs503() {
		given(this.tokens.serve(any(), any(), any()))
			.willThrow(new RenewalTimeoutException("packit/ogr", Duration.ofSeconds(30)));
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.contains("packit/ogr");
	}

	@Test
	void unexpectedFailureIsAGeneric500WithoutItsMessage() {
		IllegalStateException failure = new IllegalStateException("database file is locked");
		given(this.tokens.serve(any(), any(), any())).willThrow(failure);
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.INTERNAL_SERVER_ERROR)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\":\"Internal error\"}");
		then(this.reports).should().unexpected(failure);
	}

	@Test
	void failuresThatAreAnswersAreNotReported() {
		given(this.tokens.serve(any(), any(), any())).willThrow(GitHubExceptions.failed(502, "GitHub answered 502"));
		assertThat(this.mvc.get().uri("/api/packit/ogr")).hasStatus(HttpStatus.BAD_GATEWAY);
		then(this.reports).shouldHaveNoInteractions();
	}

	@Test
	void invalidNameIs400AndNeverReachesTheService() {
		assertThat(this.mvc.get().uri("/api/pack_it/ogr")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.startsWith("Invalid namespace");
		verifyNoInteractions(this.tokens);
	}

	@Test
	void answerIsJsonWhateverTheAcceptHeader() {
		given(this.tokens.serve(any(), any(), any()))
			.willReturn(new Handout("ghs_t", Instant.parse("2026-11-25T13:00:00Z"), Handout.Outcome.SERVED,
					Handout.fingerprint("ghs_t"), null, null));
		assertThat(this.mvc.get().uri("/api/packit/ogr").accept(MediaType.TEXT_HTML)).hasStatusOk()
			.hasContentType(MediaType.APPLICATION_JSON);
	}

}
