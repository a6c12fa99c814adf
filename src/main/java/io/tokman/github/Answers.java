package io.tokman.github;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads GitHub's answer: the value asked for, or the failure it stands for, named (not
 * installed, refused, rate limited, clock skew, any other status).
 */
final class Answers {

	static final String INSTALLATION_LOOKUP = "installation lookup";

	static final String TOKEN_REQUEST = "token request";

	private static final int MAX_MESSAGE = 200;

	private final JsonMapper json;

	private final RateLimit rateLimit;

	private final Clock clock;

	Answers(JsonMapper json, RateLimit rateLimit, Clock clock) {
		this.json = json;
		this.rateLimit = rateLimit;
		this.clock = clock;
	}

	<T> T read(Response response, String endpoint, TokenScope scope, Class<T> type) throws IOException {
		String body = response.body().string();
		int status = response.code();
		if (response.isSuccessful()) {
			try {
				return this.json.readValue(body, type);
			}
			catch (JacksonException ex) {
				throw new UnexpectedAnswerException(status,
						"GitHub's answer to the " + endpoint + " is not the JSON expected");
			}
		}
		if (status == 404) {
			throw new AppNotInstalledException(scope.where());
		}
		if (response.isRedirect()) {
			// Never followed: another origin could answer for GitHub, and a moved
			// repository's new owner is not who the caller asked for.
			String location = String.valueOf(response.header("Location"));
			if (endpoint.equals(Answers.INSTALLATION_LOOKUP)) {
				throw RepositoryMovedException.redirected(scope.where(), location);
			}
			throw new UnexpectedAnswerException(status, "GitHub answered " + status + " to the " + endpoint
					+ ", redirecting to " + location + "; not followed");
		}
		String message = message(body);
		if (status == 422 && endpoint.equals(Answers.TOKEN_REQUEST)) {
			throw new TokenRefusedException(
					"GitHub refused a token for " + scope + (message.isEmpty() ? "" : ": " + message));
		}
		if (status == 403 || status == 429) {
			this.rateLimit.record(response, message);
		}
		if (status == 401 && (message.contains("'iat'") || message.contains("'exp'"))) {
			Duration offset = offset(response.header("Date"));
			if (offset != null) {
				throw new ClockSkewException(message, offset);
			}
		}
		String said = "GitHub answered " + status + " to the " + endpoint + (message.isEmpty() ? "" : ": " + message);
		throw (status == 401) ? new JwtRejectedException(said) : new UnexpectedAnswerException(status, said);
	}

	/** GitHub's own explanation, if it gave one; it never repeats credentials. */
	private String message(String body) {
		try {
			String message = this.json.readTree(body).path("message").asString("");
			return (message.length() > MAX_MESSAGE) ? message.substring(0, MAX_MESSAGE) + "..." : message;
		}
		catch (JacksonException ex) {
			return "";
		}
	}

	/** How far GitHub's clock is ahead of tokman's, from its Date header. */
	private Duration offset(String date) {
		try {
			return (date != null) ? Duration.between(this.clock.instant(),
					ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()) : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * GitHub rejected the JWT's times; signing it again on GitHub's clock may fix that.
	 */
	static final class ClockSkewException extends UnexpectedAnswerException {

		private final transient Duration offset;

		ClockSkewException(String message, Duration offset) {
			super(401, "GitHub rejected the App JWT's times (" + message + "); tokman's clock is off by "
					+ offset.toSeconds() + " s");
			this.offset = offset;
		}

		Duration offset() {
			return this.offset;
		}

	}

	/**
	 * GitHub rejected the App JWT for something other than its times: signed with a key
	 * it does not know, or for another App.
	 */
	static final class JwtRejectedException extends UnexpectedAnswerException {

		JwtRejectedException(String message) {
			super(401, message);
		}

	}

	/** GitHub's answer to an installation lookup, as far as tokman reads it. */
	record Installation(Long id, Account account) {

	}

	record Account(String login) {

	}

	/** GitHub's answer to a token request. */
	record AccessToken(String token, @JsonProperty("expires_at") Instant expiresAt, Map<String, String> permissions,
			@JsonProperty("repository_selection") String repositorySelection) {

		@Override
		public String toString() {
			return "AccessToken[token=<redacted>, expiresAt=" + this.expiresAt + "]";
		}

	}

}
